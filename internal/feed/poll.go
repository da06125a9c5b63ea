package feed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/ingest"
)

// Ingester stores the incidents of an article; ingest.Ingester is one.
// An article seen before (URL or text) gives a Duplicate result; SeenURL
// tells before the article is read (or its page fetched). Feeds are
// fetched in parallel, so Ingest must be safe for concurrent use and store
// the same story sent twice at once only once.
type Ingester interface {
	Ingest(ctx context.Context, a extract.Article) (ingest.Result, error)
	SeenURL(ctx context.Context, url string) (bool, error)
}

// Polling bounds.
const (
	// MaxBackoff is the longest a failing feed waits between polls.
	MaxBackoff = 24 * time.Hour
	// Jitter spreads the polls of feeds added together: each wait is
	// lengthened or shortened by up to this fraction.
	Jitter = 0.1
	// Workers is how many feeds are fetched at once.
	Workers = 4
	// feedAccept is the Accept header of a feed request.
	feedAccept = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1"
)

// Poller polls the feeds of a Registry and ingests their new items.
type Poller struct {
	reg   *Registry
	fetch *Fetcher
	ing   Ingester
	log   *slog.Logger
	now   func() time.Time

	mu   sync.Mutex
	rand *rand.Rand
	wake chan struct{}
}

// NewPoller returns a Poller over reg, fetching with fetch and storing
// with ing.
func NewPoller(reg *Registry, fetch *Fetcher, ing Ingester, log *slog.Logger) *Poller {
	return &Poller{reg: reg, fetch: fetch, ing: ing, log: log, now: time.Now,
		rand: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 15)), wake: make(chan struct{}, 1)}
}

// Result is what one poll of one feed did.
type Result struct {
	URL         string `json:"url"`
	NotModified bool   `json:"not_modified,omitempty"`
	Items       int    `json:"items"`     // items in the document
	New         int    `json:"new"`       // items not seen before
	Incidents   int    `json:"incidents"` // incidents they gave
	Err         error  `json:"-"`
}

// PollDue polls the feeds due now, Workers at a time, and returns what
// each poll did. One feed's failure is its own Result's; the error is
// only for the registry itself.
func (p *Poller) PollDue(ctx context.Context) ([]Result, error) {
	due, err := p.reg.Due(ctx, p.now())
	if err != nil {
		return nil, err
	}
	return p.pollAll(ctx, due), nil
}

// PollAll polls every feed once, due or not (the --once mode).
func (p *Poller) PollAll(ctx context.Context) ([]Result, error) {
	all, err := p.reg.List(ctx)
	if err != nil {
		return nil, err
	}
	return p.pollAll(ctx, all), nil
}

func (p *Poller) pollAll(ctx context.Context, feeds []Feed) []Result {
	out := make([]Result, len(feeds))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(Workers, len(feeds)) {
		wg.Go(func() {
			for i := range work {
				out[i] = p.Poll(ctx, feeds[i])
			}
		})
	}
	for i := range feeds {
		work <- i
	}
	close(work)
	wg.Wait()
	return out
}

// Poll fetches f, ingests its new items and records its state: the next
// poll after Every (with jitter), or after a backoff doubling with each
// failure in a row.
func (p *Poller) Poll(ctx context.Context, f Feed) Result {
	res := p.poll(ctx, &f)
	now := p.now().UTC()
	f.LastPoll = now
	if res.Err != nil {
		f.Failures++
		f.LastError = res.Err.Error()
		f.NextPoll = now.Add(p.jitter(backoff(f.Every, f.Failures)))
		p.log.Warn("feed poll failed", "url", f.URL, "failures", f.Failures, "next_poll", f.NextPoll, "err", res.Err)
	} else {
		f.Failures, f.LastError = 0, ""
		f.NextPoll = now.Add(p.jitter(f.Every))
	}
	if err := p.reg.saveState(context.WithoutCancel(ctx), f); err != nil && res.Err == nil {
		res.Err = err
	}
	return res
}

// poll does the work of Poll, updating f's state as it learns.
func (p *Poller) poll(ctx context.Context, f *Feed) Result {
	res := Result{URL: f.URL}
	resp, err := p.fetch.Fetch(ctx, f.URL, feedAccept, Validators{ETag: f.ETag, LastModified: f.LastModified})
	if err != nil {
		res.Err = err
		return res
	}
	if resp.NotModified {
		res.NotModified = true
		return res
	}
	doc, err := Parse(resp.Body)
	if err != nil {
		res.Err = fmt.Errorf("reading %s: %w", f.URL, err)
		return res
	}
	f.Title = doc.Title
	res.Items = len(doc.Items)
	var itemErr error
	for _, it := range doc.Items {
		if err := ctx.Err(); err != nil {
			res.Err = err
			return res
		}
		n, fresh, err := p.ingestItem(ctx, f, it)
		if err != nil {
			// One item's failure is its own: the others are read. The
			// first is the poll's error, and the validators are not kept,
			// so the next poll reads the document again (the items
			// stored meanwhile are skipped as seen).
			if itemErr == nil {
				itemErr = fmt.Errorf("item %s: %w", itemName(it), err)
			}
			continue
		}
		if fresh {
			res.New++
			res.Incidents += n
			f.Items++
			f.Incidents += int64(n)
			f.LastItem, f.LastItemAt = itemName(it), it.Published
		}
	}
	if itemErr != nil {
		res.Err = itemErr
		return res
	}
	f.ETag, f.LastModified = resp.ETag, resp.LastModified
	return res
}

// ingestItem hands one item to the ingester as an article, and reports
// how many incidents it gave and whether it was new.
func (p *Poller) ingestItem(ctx context.Context, f *Feed, it Item) (int, bool, error) {
	if seen, err := p.ing.SeenURL(ctx, it.URL); err != nil || seen {
		return 0, false, err
	}
	if it.Summary && it.URL != "" {
		// The summary alone rarely says where and when: read the page. A
		// page that cannot be read leaves the summary, and says why.
		text, err := p.pageText(ctx, it.URL)
		if err != nil {
			f.LastPageError = err.Error()
			p.log.Info("feed item page not read; its summary is ingested", "feed", f.URL, "item", it.URL, "err", err)
		} else if len(text) > len(it.Text) {
			it.Text = text
		}
	}
	// The feed's country steers extraction: an ambiguous place name is
	// read in the country the feed reports on.
	a := extract.Article{URL: it.URL, Title: it.Title, Text: articleText(it), Country: f.Country}
	if !it.Published.IsZero() {
		a.Published = it.Published.Format(incident.DateLayout)
	}
	if a.Text == "" {
		return 0, false, nil // nothing to read: a title-less, text-less item
	}
	r, err := p.ing.Ingest(ctx, a)
	if errors.Is(err, extract.ErrEmpty) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return len(r.Items), !r.Duplicate, nil
}

// articleText is the text an item is read as: its title as the headline,
// then its text.
func articleText(it Item) string {
	switch {
	case it.Title == "":
		return it.Text
	case it.Text == "":
		return it.Title
	}
	return it.Title + "\n\n" + it.Text
}

// itemName names an item in the feed's state and errors: its URL, else its title.
func itemName(it Item) string {
	if it.URL != "" {
		return it.URL
	}
	return it.Title
}

// backoff is the wait after failures polls failed in a row: every,
// doubled per failure, at most MaxBackoff.
func backoff(every time.Duration, failures int) time.Duration {
	d := every
	for range min(failures, 16) {
		d *= 2
		if d >= MaxBackoff {
			return MaxBackoff
		}
	}
	return d
}

// jitter lengthens or shortens d by up to Jitter of it, at random.
func (p *Poller) jitter(d time.Duration) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return d + time.Duration((p.rand.Float64()*2-1)*Jitter*float64(d))
}

// Wake makes Run look at the feeds now (after one was added).
func (p *Poller) Wake() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// idleWait is the longest Run sleeps without looking at the feeds again.
const idleWait = time.Minute

// Run polls the feeds as they fall due until ctx ends.
func (p *Poller) Run(ctx context.Context) {
	for {
		if _, err := p.PollDue(ctx); err != nil && ctx.Err() == nil {
			p.log.Error("feeds: polling", "err", err)
		}
		wait := idleWait
		if feeds, err := p.reg.List(ctx); err == nil && len(feeds) > 0 {
			wait = min(wait, max(time.Second, feeds[0].NextPoll.Sub(p.now())))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-p.wake:
		case <-t.C:
		}
		t.Stop()
	}
}
