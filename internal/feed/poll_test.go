package feed_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/feed"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/ingest"
	"github.com/incidentmap/incidentmap/internal/store"
)

func TestBackoff(t *testing.T) {
	tests := []struct {
		every    time.Duration
		failures int
		want     time.Duration
	}{
		{15 * time.Minute, 0, 15 * time.Minute},
		{15 * time.Minute, 1, 30 * time.Minute},
		{15 * time.Minute, 3, 2 * time.Hour},
		{15 * time.Minute, 7, feed.MaxBackoff},
		{15 * time.Minute, 1000, feed.MaxBackoff},
		{24 * time.Hour, 1, feed.MaxBackoff},
	}
	for _, tt := range tests {
		if got := feed.Backoff(tt.every, tt.failures); got != tt.want {
			t.Errorf("backoff(%s, %d) = %s, want %s", tt.every, tt.failures, got, tt.want)
		}
	}
}

// hostsRE matches the invented hosts of the fixtures' links.
var hostsRE = regexp.MustCompile(`http://(news|sahel|lakechad)\.test`)

// pages are the article pages the fixtures' summary-only items link to:
// a news page, and a binary where an article was expected (no file:
// gzipHeader).
var pages = map[string]struct{ file, contentType string }{
	"/2025/03/musa-qala": {"article.html", "text/html; charset=utf-8"},
	"/2025/03/kandahar":  {"article.html", "text/html; charset=utf-8"},
	"/7":                 {"", "application/gzip"},
}

// gzipHeader is the start of a gzip file, with some bytes after it.
var gzipHeader = []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x00\x01\x02binary")

// feedServer serves the fixtures; /rss answers conditional requests, and
// its document can be replaced.
type feedServer struct {
	*httptest.Server
	mu       sync.Mutex
	rss      []byte
	etag     string
	requests map[string]int
}

func newFeedServer(t *testing.T) *feedServer {
	t.Helper()
	fs := &feedServer{rss: fixture(t, "rss.xml"), etag: `"1"`, requests: map[string]int{}}
	files := map[string]string{"/atom": "atom.xml", "/json": "feed.json", "/html": "page.html", "/broken": "malformed.xml"}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		defer fs.mu.Unlock()
		fs.requests[r.URL.Path]++
		// The fixtures' links lead back here: nothing leaves the machine.
		local := func(doc []byte) []byte {
			return []byte(hostsRE.ReplaceAllString(string(doc), fs.URL))
		}
		if page, ok := pages[r.URL.Path]; ok {
			w.Header().Set("Content-Type", page.contentType)
			if page.file == "" {
				w.Write(gzipHeader)
				return
			}
			w.Write(fixture(t, page.file))
			return
		}
		if r.URL.Path == "/rss" {
			w.Header().Set("ETag", fs.etag)
			if r.Header.Get("If-None-Match") == fs.etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Write(local(fs.rss))
			return
		}
		name, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(local(fixture(t, name)))
	}))
	t.Cleanup(fs.Close)
	return fs
}

// pollEnv is a store, its ingester and a poller over a registry.
type pollEnv struct {
	st     *store.Store
	reg    *feed.Registry
	poller *feed.Poller
}

func newPollEnv(t *testing.T) pollEnv {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "feeds.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	gaz, err := gazetteer.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	ing := ingest.New(st, extract.New(gaz))
	reg := feed.NewRegistry(st)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return pollEnv{st: st, reg: reg, poller: feed.NewPoller(reg, feed.NewFetcher(loopbackOnly()), ing, log)}
}

func (e pollEnv) count(t *testing.T, status string) int64 {
	t.Helper()
	n, err := e.st.Count(context.Background(), store.Query{Statuses: []string{status}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPollFeeds: one poll reads RSS, Atom and JSON Feed into unreviewed
// incidents; a feed that is HTML, malformed or down gets its own error and
// a backoff, the others are unaffected; the next poll is conditional, and
// items seen are not stored twice; a new item is.
func TestPollFeeds(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	env := newPollEnv(t)
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL + "/feed"
	down.Close()
	now := time.Now()
	for _, u := range []string{srv.URL + "/rss", srv.URL + "/atom", srv.URL + "/json", srv.URL + "/html", srv.URL + "/broken", downURL} {
		if _, err := env.reg.Add(ctx, feed.Feed{URL: u, Country: "af"}, now); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := env.reg.Add(ctx, feed.Feed{URL: srv.URL + "/rss"}, now); !errors.Is(err, feed.ErrExists) {
		t.Errorf("adding a feed twice: %v", err)
	}

	results, err := env.poller.PollAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byURL := map[string]feed.Result{}
	for _, r := range results {
		byURL[r.URL] = r
	}
	wantNew := map[string]int{"/rss": 2, "/atom": 1, "/json": 1}
	for path, n := range wantNew {
		if r := byURL[srv.URL+path]; r.Err != nil || r.New != n || r.Incidents == 0 {
			t.Errorf("%s: %d new, %d incidents, %v; want %d new with incidents", path, r.New, r.Incidents, r.Err, n)
		}
	}
	wantErr := map[string]error{srv.URL + "/html": feed.ErrNotFeed, srv.URL + "/broken": feed.ErrMalformed, downURL: nil}
	for u, want := range wantErr {
		r := byURL[u]
		if r.Err == nil || (want != nil && !errors.Is(r.Err, want)) {
			t.Errorf("%s: error %v, want %v", u, r.Err, want)
		}
	}
	unreviewed := env.count(t, incident.StatusUnreviewed)
	if unreviewed == 0 || env.count(t, incident.StatusPublished) != 0 {
		t.Fatalf("after a poll: %d unreviewed, %d published", unreviewed, env.count(t, incident.StatusPublished))
	}

	feeds, err := env.reg.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		failing := wantErr[f.URL] != nil || f.URL == downURL
		wait := f.NextPoll.Sub(f.LastPoll)
		base := f.Every
		if failing {
			base = feed.Backoff(f.Every, 1)
		}
		if lo, hi := time.Duration(float64(base)*(1-feed.Jitter)), time.Duration(float64(base)*(1+feed.Jitter)); wait < lo || wait > hi {
			t.Errorf("%s: next poll in %s, want %s to %s", f.URL, wait, lo, hi)
		}
		if failing != (f.Failures == 1 && f.LastError != "") {
			t.Errorf("%s: failures %d, last error %q", f.URL, f.Failures, f.LastError)
		}
		if f.Country != "AF" {
			t.Errorf("%s: country %q", f.URL, f.Country)
		}
	}
	rss := feeds[slices.IndexFunc(feeds, func(f feed.Feed) bool { return f.URL == srv.URL+"/rss" })]
	if rss.LastItem != srv.URL+"/2025/03/checkpoint" || rss.ETag != `"1"` || rss.Items != 2 || rss.Title != "Helmand Desk (test fixture)" {
		t.Errorf("rss state: %+v", rss.State)
	}

	// The second poll: /rss answers 304, the others' items are seen.
	results, err = env.poller.PollAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.New != 0 {
			t.Errorf("%s: %d new items on the second poll", r.URL, r.New)
		}
		if r.URL == srv.URL+"/rss" && !r.NotModified {
			t.Errorf("/rss was not asked conditionally")
		}
	}
	if n := env.count(t, incident.StatusUnreviewed); n != unreviewed {
		t.Errorf("the second poll stored %d incidents more", n-unreviewed)
	}
	if due, err := env.poller.PollDue(ctx); err != nil || len(due) != 0 {
		t.Errorf("feeds polled a moment ago are due again: %d, %v", len(due), err)
	}

	// A new item in the RSS feed: only it is read.
	srv.mu.Lock()
	srv.rss = []byte(strings.Replace(string(srv.rss), "<item>", `<item>
      <title>Protest in Kandahar</title>
      <link>http://news.test/2025/03/kandahar</link>
      <pubDate>Fri, 14 Mar 2025 09:00:00 GMT</pubDate>
      <description>Hundreds of people protested peacefully in Kandahar city on Thursday against power cuts, witnesses said.</description>
    </item>
    <item>`, 1))
	srv.etag = `"2"`
	srv.mu.Unlock()
	results, err = env.poller.PollAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.URL == srv.URL+"/rss" && (r.New != 1 || r.Err != nil) {
			t.Errorf("after a new item: %d new, %v", r.New, r.Err)
		}
	}
}

// loopbackOnly is a transport that dials loopback IP addresses alone, and
// never resolves a name: a test that tried to reach outside fails.
func loopbackOnly() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("test transport: %s is not a loopback address", addr)
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	return t
}

// recorder is an ingester that keeps the articles it is given.
type recorder struct {
	mu       sync.Mutex
	articles map[string]extract.Article
}

func (r *recorder) SeenURL(_ context.Context, url string) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.articles[url]
	return ok, nil
}

func (r *recorder) Ingest(_ context.Context, a extract.Article) (ingest.Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.articles[a.URL] = a
	return ingest.Result{}, nil
}

// TestSummaryItemsReadThePage: an item with only a summary is read from
// its page's main text (navigation and footer left out), with the item's
// date; a page that is a binary leaves the summary and says why; an item
// with its content, or one seen before, costs no page request.
func TestSummaryItemsReadThePage(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	env := newPollEnv(t)
	rec := &recorder{articles: map[string]extract.Article{}}
	p := feed.NewPoller(env.reg, feed.NewFetcher(loopbackOnly()), rec, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, path := range []string{"/rss", "/atom"} {
		if _, err := env.reg.Add(ctx, feed.Feed{URL: srv.URL + path}, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if _, err := p.PollAll(ctx); err != nil {
			t.Fatal(err)
		}
	}
	page := rec.articles[srv.URL+"/2025/03/musa-qala"]
	if !strings.Contains(page.Text, "Three other people were wounded") || strings.Contains(page.Text, "Sport") ||
		strings.Contains(page.Text, "©") || page.Published != "2025-03-11" || !strings.HasPrefix(page.Text, "Roadside bomb in Musa Qala\n\n") {
		t.Errorf("the summary-only item read as %+v", page)
	}
	binary := rec.articles[srv.URL+"/7"]
	if binary.Text != "Clashes near Gao\n\nFighting between the army and militants near Gao left five soldiers dead on Tuesday, the army said." {
		t.Errorf("the item linking to a binary read as %q", binary.Text)
	}
	feeds, err := env.reg.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		if f.URL == srv.URL+"/atom" && !strings.Contains(f.LastPageError, "not an article page") {
			t.Errorf("the atom feed's page error: %q", f.LastPageError)
		}
		if f.LastError != "" {
			t.Errorf("%s failed: %s", f.URL, f.LastError)
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if n := srv.requests["/2025/03/musa-qala"]; n != 1 {
		t.Errorf("the page was fetched %d times over two polls, want 1", n)
	}
	if n := srv.requests["/2025/03/checkpoint"]; n != 0 {
		t.Errorf("the page of an item with content was fetched %d times", n)
	}
}

// TestSameStoryInTenFeeds: one report syndicated by ten feeds, under ten
// URLs, polled at once, is stored once; the same URL in ten feeds too.
func TestSameStoryInTenFeeds(t *testing.T) {
	ctx := context.Background()
	const story = "Three police officers were killed when gunmen attacked a checkpoint in Lashkar Gah, the capital of Helmand province, on Wednesday, a spokesman said."
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		link := "http://" + r.Host + "/story" + r.URL.Path // another URL per feed
		if strings.HasPrefix(r.URL.Path, "/same") {
			link = "http://" + r.Host + "/story"
		}
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>%s</title>`+
			`<item><title>Checkpoint attacked</title><link>%s</link><pubDate>Thu, 13 Mar 2025 08:00:00 GMT</pubDate>`+
			`<content:encoded>%s</content:encoded></item></channel></rss>`, r.URL.Path, link, story)
	}))
	defer srv.Close()
	env := newPollEnv(t)
	for i := range 10 {
		for _, prefix := range []string{"/feed", "/same"} {
			if _, err := env.reg.Add(ctx, feed.Feed{URL: fmt.Sprintf("%s%s%d", srv.URL, prefix, i)}, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	results, err := env.poller.PollAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	news := 0
	for _, r := range results {
		if r.Err != nil {
			t.Errorf("%s: %v", r.URL, r.Err)
		}
		news += r.New
	}
	if news != 1 {
		t.Errorf("%d feeds read the story as new, want 1", news)
	}
	if n := env.count(t, incident.StatusUnreviewed); n != 1 {
		t.Errorf("%d incidents stored, want 1", n)
	}
}

// TestPollCountrySteers: a feed's country steers extraction, so that a
// place name two countries share is read in the feed's country.
func TestPollCountrySteers(t *testing.T) {
	ctx := context.Background()
	for _, country := range []string{"AF", "PK"} {
		t.Run(country, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/rss+xml")
				io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
<item><title>Ambush</title><link>http://news.test/kalat</link><pubDate>Tue, 16 May 2023 07:30:00 GMT</pubDate>
<description>Two soldiers were killed in an ambush near Kalat on Monday, officials said.</description></item></channel></rss>`)
			}))
			defer srv.Close()
			env := newPollEnv(t)
			if _, err := env.reg.Add(ctx, feed.Feed{URL: srv.URL, Country: country}, time.Now()); err != nil {
				t.Fatal(err)
			}
			if _, err := env.poller.PollAll(ctx); err != nil {
				t.Fatal(err)
			}
			var got []string
			_, err := env.st.Query(ctx, store.Query{Statuses: []string{incident.StatusUnreviewed}}, func(in *incident.Incident) error {
				got = append(got, in.Country)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0] != country {
				t.Errorf("incidents in %v, want one in %s", got, country)
			}
		})
	}
}
