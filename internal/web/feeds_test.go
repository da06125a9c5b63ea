package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/feed"
	"github.com/incidentmap/incidentmap/internal/ingest"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/web"
)

// newsRSS is an invented feed of one report; its link leads back to the
// test's server (LINK is replaced), so nothing leaves the machine.
const newsRSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
<item><title>Checkpoint attacked in Lashkar Gah</title><link>LINK/lg</link>
<pubDate>Thu, 13 Mar 2025 08:00:00 GMT</pubDate>
<description>Three police officers were killed when gunmen attacked a checkpoint in Lashkar Gah, the capital of Helmand province, on Wednesday, a spokesman said.</description></item>
</channel></rss>`

// TestFeedsAPI: only admins manage feeds; bad input names its field.
func TestFeedsAPI(t *testing.T) {
	srv, _ := newServer(t)
	writer := addKey(t, srv.URL, testToken, "desk", "writer")
	tests := []struct {
		name, method, path, key, body string
		status                        int
		want                          string
	}{
		{"anonymous lists", "GET", "/api/feeds", "", "", 401, ""},
		{"writer adds", "POST", "/api/feeds", writer, `{"url":"http://127.0.0.1:9/rss"}`, 403, ""},
		{"admin adds", "POST", "/api/feeds", testToken, `{"url":"http://127.0.0.1:9/rss","every":"30m","country":"af"}`, 201, `"every":"30m0s"`},
		{"admin adds it again", "POST", "/api/feeds", testToken, `{"url":"http://127.0.0.1:9/rss"}`, 409, `"field":"url"`},
		{"not http", "POST", "/api/feeds", testToken, `{"url":"file:///etc/passwd"}`, 400, `"field":"url"`},
		{"too often", "POST", "/api/feeds", testToken, `{"url":"http://127.0.0.1:9/a","every":"10s"}`, 400, `"field":"every"`},
		{"not a duration", "POST", "/api/feeds", testToken, `{"url":"http://127.0.0.1:9/a","every":"often"}`, 400, `"field":"every"`},
		{"bad country", "POST", "/api/feeds", testToken, `{"url":"http://127.0.0.1:9/a","country":"Nigeria"}`, 400, `"field":"country"`},
		{"stray member", "POST", "/api/feeds", testToken, `{"url":"http://127.0.0.1:9/a","interval":5}`, 400, `"field":"body"`},
		{"admin lists", "GET", "/api/feeds", testToken, "", 200, `"country":"AF"`},
		{"remove unknown", "DELETE", "/api/feeds?url=" + url.QueryEscape("http://127.0.0.1:9/none"), testToken, "", 404, `"param":"url"`},
		{"remove", "DELETE", "/api/feeds?url=" + url.QueryEscape("http://127.0.0.1:9/rss"), testToken, "", 204, ""},
		{"listed empty", "GET", "/api/feeds", testToken, "", 200, `{"feeds":[]}`},
	}
	for _, tt := range tests {
		r := do(t, tt.method, srv.URL+tt.path, tt.key, tt.body)
		if r.status != tt.status || !strings.Contains(string(r.body), tt.want) {
			t.Errorf("%s: status %d, want %d with %s: %s", tt.name, r.status, tt.status, tt.want, r.body)
		}
	}
}

// TestFeedToPublished is the review queue end to end: a feed added over
// the API, one poll, its incident waits unreviewed (not shown to anonymous
// readers, listed for a writer), the feed's state says what was read, and
// once a writer accepts it anonymous readers see it.
func TestFeedToPublished(t *testing.T) {
	ctx := context.Background()
	gaz := builtinGazetteer(t)
	woken := 0
	srv, st := startServer(t, web.Config{Token: testToken, FeedAdded: func() { woken++ }}, gaz)
	writer := addKey(t, srv.URL, testToken, "desk", "writer")
	news := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/lg" {
			http.NotFound(w, r) // the page is gone: the summary is read
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, strings.ReplaceAll(newsRSS, "LINK", "http://"+r.Host))
	}))
	defer news.Close()
	if r := do(t, "POST", srv.URL+"/api/feeds", testToken, `{"url":"`+news.URL+`/rss"}`); r.status != http.StatusCreated || woken != 1 {
		t.Fatalf("adding the feed: status %d, poller woken %d times: %s", r.status, woken, r.body)
	}

	reg := feed.NewRegistry(st)
	ing := ingest.New(st, extract.New(gaz))
	p := feed.NewPoller(reg, feed.NewFetcher(nil), ing, slog.New(slog.NewTextHandler(io.Discard, nil)))
	results, err := p.PollDue(store.WithActor(ctx, store.Actor{Name: "feeds", Action: "ingest"}))
	if err != nil || len(results) != 1 || results[0].Err != nil || results[0].Incidents == 0 {
		t.Fatalf("poll: %+v, %v", results, err)
	}

	state := do(t, "GET", srv.URL+"/api/feeds", testToken, "")
	for _, want := range []string{`"last_item":"` + news.URL + `/lg"`, `"items":1`, `"failures":0`, `"next_poll":"`, `"title":"Desk"`} {
		if !strings.Contains(string(state.body), want) {
			t.Errorf("feed state lacks %s: %s", want, state.body)
		}
	}
	if got := features(t, do(t, "GET", srv.URL+"/api/incidents", "", "")); len(got) != 0 {
		t.Fatalf("anonymous readers see %d unreviewed incidents", len(got))
	}
	queue := features(t, do(t, "GET", srv.URL+"/api/incidents?status=unreviewed", writer, ""))
	if len(queue) != 1 || queue[0]["properties"].(map[string]any)["location"] != "Lashkar Gah" {
		t.Fatalf("the queue: %v", queue)
	}
	id := queue[0]["id"].(string)
	if r := do(t, "POST", srv.URL+"/api/incidents/"+id+"/accept", writer, ""); r.status != http.StatusOK {
		t.Fatalf("accept: status %d: %s", r.status, r.body)
	}
	public := features(t, do(t, "GET", srv.URL+"/api/incidents", "", ""))
	if len(public) != 1 || public[0]["id"] != id {
		t.Fatalf("after accepting, anonymous readers see %v", public)
	}
	src := public[0]["properties"].(map[string]any)["sources"].([]any)[0].(map[string]any)
	if src["url"] != news.URL+"/lg" || src["published"] != "2025-03-13" {
		t.Errorf("the incident's source: %v", src)
	}
}
