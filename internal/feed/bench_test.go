package feed_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incidentmap/incidentmap/internal/cputime"
	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/feed"
	"github.com/incidentmap/incidentmap/internal/ingest"
	"github.com/incidentmap/incidentmap/internal/store"
)

// seenIngester stands in for the ingester in the benchmark: it remembers
// the URLs it was given and reports a repeat as a duplicate, as ingest
// does, without extracting (a first poll of 10,000 new articles would
// dwarf what is measured: the polls when nothing changed).
type seenIngester struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (s *seenIngester) SeenURL(_ context.Context, url string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[url], nil
}

func (s *seenIngester) Ingest(_ context.Context, a extract.Article) (ingest.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	dup := s.seen[a.URL]
	s.seen[a.URL] = true
	return ingest.Result{Duplicate: dup}, nil
}

// benchFeed writes an RSS document of n items for feed i.
func benchFeed(i, n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Feed %d</title>`, i)
	for j := range n {
		fmt.Fprintf(&b, `<item><title>Report %d of feed %d</title><link>http://news.test/%d/%d</link><guid>%d-%d</guid>`+
			`<pubDate>%s</pubDate><content:encoded>Gunmen attacked a checkpoint in a district of the province on Monday, killing %d people, officials said.</content:encoded></item>`,
			j, i, i, j, i, j, time.Date(2025, 3, 1+j%28, 8, 0, 0, 0, time.UTC).Format(time.RFC1123), j%7)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

// BenchmarkPollUnchanged polls 200 feeds of 50 items (INCIDENTMAP_BENCH_FEEDS
// to change the count) when nothing changed, with the server answering
// conditional requests (304) and with one that ignores them and sends the
// whole document again (items parsed, every one a duplicate). cpu-ms/cycle
// is the process's CPU time per cycle, the test server's share included.
//
//	go test -run XXX -bench PollUnchanged -benchtime 5x ./internal/feed/
func BenchmarkPollUnchanged(b *testing.B) {
	feeds := 200
	if s := os.Getenv("INCIDENTMAP_BENCH_FEEDS"); s != "" {
		feeds, _ = strconv.Atoi(s)
	}
	for _, conditional := range []bool{true, false} {
		name := "304"
		if !conditional {
			name = "full-document"
		}
		b.Run(name, func(b *testing.B) {
			docs := make([][]byte, feeds)
			for i := range docs {
				docs[i] = benchFeed(i, 50)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				i, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
				etag := `"` + strconv.Itoa(i) + `"`
				w.Header().Set("ETag", etag)
				if conditional && r.Header.Get("If-None-Match") == etag {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Write(docs[i])
			}))
			defer srv.Close()
			ctx := context.Background()
			st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.gpkg"))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			reg := feed.NewRegistry(st)
			for i := range feeds {
				if _, err := reg.Add(ctx, feed.Feed{URL: fmt.Sprintf("%s/%d", srv.URL, i)}, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
			p := feed.NewPoller(reg, feed.NewFetcher(loopbackOnly()), &seenIngester{seen: map[string]bool{}}, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if _, err := p.PollAll(ctx); err != nil { // the first poll reads everything
				b.Fatal(err)
			}
			b.ResetTimer()
			cpu := cputime.Process()
			for range b.N {
				results, err := p.PollAll(ctx)
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range results {
					if r.Err != nil || r.New != 0 || r.NotModified != conditional {
						b.Fatalf("%s: %+v", r.URL, r)
					}
				}
			}
			b.ReportMetric(float64((cputime.Process()-cpu).Milliseconds())/float64(b.N), "cpu-ms/cycle")
		})
	}
}
