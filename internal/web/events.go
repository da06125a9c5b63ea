package web

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// The live map: GET /api/events is a stream of Server-Sent Events telling
// open pages what changed. One hub reads the audit trail after each write
// and encodes each change once; every stream gets the same bytes, so an
// open page costs a goroutine, a small queue and its connection, not a
// query per write.
//
// Events, each with the audit trail's seq as its id:
//
//	ready     {"seq": N}        the stream is subscribed (sent first)
//	incident  a GeoJSON Feature an incident as it now is: for readers only
//	                            published ones, for writers any, with its
//	                            "status" as a foreign member
//	removed   {"id": "..."}     gone from the reader's view: deleted, or
//	                            (for readers) no longer published
//	reset     {"seq": N}        too much changed to tell one by one: reload
//
// A stream that falls behind is closed; the browser reconnects with
// Last-Event-ID and is sent what it missed from the audit trail.

// Stream bounds.
const (
	// eventQueue is how many events a stream may have waiting before it
	// is closed as too slow.
	eventQueue = 64
	// maxReplay is the most changes read one by one, for a reconnecting
	// page or after a burst of writes; past it, a reset.
	maxReplay = 500
	// eventPoll is how often the hub looks for writes made by other
	// programs (the command line's ingest), which do not wake it.
	eventPoll = 5 * time.Second
)

// liveEvent is one encoded event: the bytes sent to readers (nil: none)
// and to writers.
type liveEvent struct {
	seq            int64
	reader, writer []byte
}

// subscriber is one open stream.
type subscriber struct {
	writer  bool
	events  chan *liveEvent
	dropped chan struct{} // closed when it fell behind
}

// hub fans the store's changes out to the open streams.
type hub struct {
	st  store.Backend
	log *slog.Logger
	max int

	mu      sync.Mutex
	subs    map[*subscriber]struct{}
	head    int64 // the seq of the last change sent out
	running bool
	closed  bool
	stop    chan struct{}
	done    sync.WaitGroup
}

func newHub(st store.Backend, log *slog.Logger, max int) *hub {
	return &hub{st: st, log: log, max: max, subs: map[*subscriber]struct{}{}, stop: make(chan struct{})}
}

// errStreamsFull answers a stream request when every stream slot is taken.
var errStreamsFull = &problem{Type: "about:blank", Title: "Service busy", Status: http.StatusServiceUnavailable,
	Detail: "too many live streams are open; retry in a minute", retryAfter: time.Minute}

// errShuttingDown answers a stream request while the server stops.
var errShuttingDown = &problem{Type: "about:blank", Title: "Shutting down", Status: http.StatusServiceUnavailable,
	Detail: "the server is stopping", retryAfter: 5 * time.Second}

// subscribe registers a stream and returns the seq it starts after: every
// change after it reaches the stream's queue. The first stream starts the
// hub.
func (h *hub) subscribe(ctx context.Context, writer bool) (*subscriber, int64, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, 0, errShuttingDown
	}
	if len(h.subs) >= h.max {
		return nil, 0, errStreamsFull
	}
	if !h.running {
		head, err := h.st.LastChange(ctx)
		if err != nil {
			return nil, 0, err
		}
		h.head, h.running = head, true
		h.done.Go(h.run)
	}
	sub := &subscriber{writer: writer, events: make(chan *liveEvent, eventQueue), dropped: make(chan struct{})}
	h.subs[sub] = struct{}{}
	return sub, h.head, nil
}

func (h *hub) unsubscribe(sub *subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, sub)
}

// close ends the hub and, through its stop channel, every stream.
func (h *hub) close() {
	h.mu.Lock()
	if !h.closed {
		h.closed = true
		close(h.stop)
	}
	h.mu.Unlock()
	h.done.Wait()
}

// run sends out the changes after each write until the hub closes.
func (h *hub) run() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-h.stop
		cancel()
	}()
	tick := time.NewTicker(eventPoll)
	defer tick.Stop()
	for {
		changed := h.st.Changed() // before reading: a write during the read wakes the next round
		if err := h.sendChanges(ctx); err != nil && ctx.Err() == nil {
			h.log.Error("live events: reading changes", "err", err)
		}
		select {
		case <-changed:
		case <-tick.C:
		case <-h.stop:
			return
		}
	}
}

// sendChanges encodes the changes after head and queues them on every
// stream; a stream whose queue is full is dropped.
func (h *hub) sendChanges(ctx context.Context) error {
	h.mu.Lock()
	head := h.head
	h.mu.Unlock()
	evs, last, err := changeEvents(ctx, h.st, head, math.MaxInt64)
	if err != nil || last == head {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.head = last
	for sub := range h.subs {
		h.deliver(sub, evs)
	}
	return nil
}

// deliver queues evs on sub, or drops sub when its queue is full.
func (h *hub) deliver(sub *subscriber, evs []*liveEvent) {
	for _, ev := range evs {
		if ev.bytes(sub.writer) == nil {
			continue
		}
		select {
		case sub.events <- ev:
		default:
			close(sub.dropped)
			delete(h.subs, sub)
			return
		}
	}
}

func (ev *liveEvent) bytes(writer bool) []byte {
	if writer {
		return ev.writer
	}
	return ev.reader
}

// changeEvents encodes the changes after seq after and up to through, one
// event per incident (its latest state), in the order of their last change,
// and returns the seq reached. More than maxReplay changes are one reset.
func changeEvents(ctx context.Context, st store.Backend, after, through int64) ([]*liveEvent, int64, error) {
	cs, err := st.Changes(ctx, after, through, maxReplay+1)
	if err != nil || len(cs) == 0 {
		return nil, after, err
	}
	if len(cs) > maxReplay {
		last, err := st.LastChange(ctx)
		if err != nil {
			return nil, after, err
		}
		last = min(last, through)
		ev := encodeEvent("reset", last, map[string]int64{"seq": last})
		return []*liveEvent{{seq: last, reader: ev, writer: ev}}, last, nil
	}
	// The last change of each incident, and whether readers saw it before
	// any of them.
	type latest struct {
		seq          int64
		wasPublished bool
	}
	byID := map[string]*latest{}
	for _, c := range cs {
		l := byID[c.IncidentID]
		if l == nil {
			l = &latest{wasPublished: c.WasPublished}
			byID[c.IncidentID] = l
		}
		l.seq = c.Seq
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Compare(byID[a].seq, byID[b].seq) })
	evs := make([]*liveEvent, 0, len(ids))
	for _, id := range ids {
		l := byID[id]
		ev, err := incidentEvent(ctx, st, id, l.seq, l.wasPublished)
		if err != nil {
			return nil, after, err
		}
		evs = append(evs, ev)
	}
	return evs, cs[len(cs)-1].Seq, nil
}

// liveFeature is an incident as writers' streams send it: the Feature
// and its review status.
type liveFeature struct {
	incident.Feature
	Status string `json:"status"`
}

// incidentEvent encodes what became of the incident id at seq.
func incidentEvent(ctx context.Context, st store.Backend, id string, seq int64, wasPublished bool) (*liveEvent, error) {
	ev := &liveEvent{seq: seq}
	in, err := st.Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		ev.writer = encodeEvent("removed", seq, map[string]string{"id": id})
		if wasPublished {
			ev.reader = ev.writer
		}
		return ev, nil
	}
	if err != nil {
		return nil, err
	}
	status := in.Status
	if status == "" {
		status = incident.StatusPublished
	}
	f := in.ToFeature()
	ev.writer = encodeEvent("incident", seq, liveFeature{Feature: f, Status: status})
	switch {
	case in.Published():
		ev.reader = encodeEvent("incident", seq, f)
	case wasPublished:
		ev.reader = encodeEvent("removed", seq, map[string]string{"id": id})
	}
	return ev, nil
}

// encodeEvent is one Server-Sent Event: its name, id and JSON data on one
// line (JSON escapes the newlines a data line may not hold).
func encodeEvent(name string, seq int64, data any) []byte {
	b, err := json.Marshal(data)
	if err != nil {
		// Features and maps of strings always encode; say so if not.
		b, _ = json.Marshal(map[string]string{"error": err.Error()})
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "event: %s\nid: %d\ndata: %s\n\n", name, seq, b)
	return buf.Bytes()
}

// handleEvents answers GET /api/events with the live stream. A
// Last-Event-ID header (sent by browsers when they reconnect) resumes
// after that event, from the audit trail.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r); err != nil {
		return err
	}
	var resume int64 = -1
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return &problem{Type: "about:blank", Title: "Invalid header", Status: http.StatusBadRequest,
				Detail: fmt.Sprintf("Last-Event-ID must be the id of an event, a whole number, not %q", v), Param: "Last-Event-ID"}
		}
		resume = n
	}
	writer := canReview(r)
	sub, head, err := s.hub.subscribe(r.Context(), writer)
	if err != nil {
		return err
	}
	defer s.hub.unsubscribe(sub)
	s.metrics.streams.Inc()
	defer s.metrics.streams.Dec()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // proxies such as nginx: do not hold events back
	sw := newStallWriter(w, s.cfg.Limits.StallTimeout)
	send := func(b []byte) error {
		if _, err := sw.Write(b); err != nil {
			return err
		}
		return sw.rc.Flush()
	}
	if err := send(fmt.Appendf(nil, "retry: 3000\n\n%s", encodeEvent("ready", head, map[string]int64{"seq": head}))); err != nil {
		return nil // the client left
	}
	if resume >= 0 && resume < head {
		evs, _, err := changeEvents(r.Context(), s.store, resume, head)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			if b := ev.bytes(writer); b != nil {
				if err := send(b); err != nil {
					return nil
				}
			}
		}
	}
	beat := time.NewTicker(s.cfg.Limits.Heartbeat)
	defer beat.Stop()
	for {
		var b []byte
		select {
		case ev := <-sub.events:
			b = ev.bytes(writer)
		case <-beat.C:
			b = []byte(": ping\n\n")
		case <-sub.dropped:
			return nil // too slow: the client reconnects and catches up
		case <-s.hub.stop:
			return nil
		case <-r.Context().Done():
			return nil
		}
		if err := send(b); err != nil {
			return nil
		}
	}
}
