package main

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/incidentmap/incidentmap/internal/feed"
	"github.com/incidentmap/incidentmap/internal/ingest"
	"github.com/incidentmap/incidentmap/internal/store"
)

// feedPolling runs the feed poller inside serve, from when the gazetteer
// has loaded until serve stops (before the store closes).
type feedPolling struct {
	poller atomic.Pointer[feed.Poller]
	cancel context.CancelFunc
	done   sync.WaitGroup
}

// start begins polling the feeds registered in st, recording the writes
// as the "feed" actor. It ingests with ing, the server's own ingester, so
// that an article posted and read from a feed at once is stored once.
func (fp *feedPolling) start(ctx context.Context, st store.Backend, ing *ingest.Ingester, log *slog.Logger) error {
	ctx = store.WithActor(ctx, store.Actor{Name: "feeds", Remote: "local", Action: "ingest"})
	reg := feed.NewRegistry(st)
	p := feed.NewPoller(reg, feed.NewFetcher(nil), ing, log)
	ctx, fp.cancel = context.WithCancel(ctx)
	fp.poller.Store(p)
	fp.done.Go(func() { p.Run(ctx) })
	return nil
}

// wake has the poller look at the feeds now, once it runs.
func (fp *feedPolling) wake() {
	if p := fp.poller.Load(); p != nil {
		p.Wake()
	}
}

// stop ends polling and waits for the poll in flight to finish.
func (fp *feedPolling) stop() {
	if fp.cancel != nil {
		fp.cancel()
	}
	fp.done.Wait()
}
