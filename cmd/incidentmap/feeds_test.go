package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFeedsCommands: feeds add, list, poll --once and remove as a user
// would run them, against a feed on loopback; a failing feed is reported
// and makes the exit status an error, after the others were read.
func TestFeedsCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.gpkg")
	news := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/mq" {
			http.NotFound(w, r) // the item's page is gone: its summary is read
			return
		}
		if r.URL.Path == "/html" {
			io.WriteString(w, "<!DOCTYPE html><html><body>moved</body></html>")
			return
		}
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
<item><title>Bomb in Musa Qala</title><link>http://`+r.Host+`/mq</link><pubDate>Tue, 11 Mar 2025 07:30:00 GMT</pubDate>
<description>A roadside bomb killed two civilians in Musa Qala district of Helmand province on Monday, officials said.</description></item></channel></rss>`)
	}))
	defer news.Close()
	run := func(wantErr bool, args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		err := runFeeds(context.Background(), args, &out, &errOut)
		if (err != nil) != wantErr {
			t.Fatalf("feeds %v: error %v\n%s%s", args, err, out.String(), errOut.String())
		}
		return out.String()
	}
	run(false, "add", news.URL+"/rss", "--db", db, "--every", "30m", "--country", "AF")
	run(false, "add", "--db", db, news.URL+"/html")
	run(true, "add", "--db", db, news.URL+"/rss")
	run(true, "add", "--db", db, "ftp://news.test/rss")
	if out := run(false, "list", "--db", db); !strings.Contains(out, `"every": "30m0s"`) || !strings.Contains(out, news.URL+"/html") {
		t.Errorf("list: %s", out)
	}
	out := run(true, "poll", "--once", "--db", db)
	if !strings.Contains(out, news.URL+"/rss: 1 items, 1 new, 1 incidents waiting for review") || !strings.Contains(out, news.URL+"/html: error:") {
		t.Errorf("poll --once: %s", out)
	}
	run(false, "remove", "--db", db, news.URL+"/html")
	if out := run(false, "poll", "--once", "--db", db); !strings.Contains(out, "0 new") {
		t.Errorf("second poll --once: %s", out)
	}
	run(true, "poll", "--db", db) // poll needs --once
}

// TestServePollsFeeds: a feed added over the API to a running serve is
// polled at once by its poller; the incident waits for review; serve stops
// cleanly on an interrupt.
func TestServePollsFeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process")
	}
	const token = "feeds-token-0123456789"
	news := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/mq" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
<item><title>Bomb in Musa Qala</title><link>http://`+r.Host+`/mq</link><pubDate>Tue, 11 Mar 2025 07:30:00 GMT</pubDate>
<description>A roadside bomb killed two civilians in Musa Qala district of Helmand province on Monday, officials said.</description></item></channel></rss>`)
	}))
	defer news.Close()
	cmd, base := startServer(t, filepath.Join(t.TempDir(), "s.gpkg"), token)
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		if err := cmd.Wait(); err != nil {
			t.Errorf("serve after an interrupt: %v", err)
		}
	}()
	call := func(method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// An anonymous page's live stream, waited on until it is subscribed.
	stream, err := http.Get(base + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stream.Body.Close() }) // after serve stopped: it must not wait for this client
	live := bufio.NewScanner(stream.Body)
	for live.Scan() && live.Text() != "event: ready" {
	}
	if code, body := call("POST", "/api/feeds", `{"url":"`+news.URL+`/rss"}`); code != http.StatusCreated {
		t.Fatalf("adding the feed: %d %s", code, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for {
		_, body := call("GET", "/api/feeds", "")
		if strings.Contains(body, `"last_poll"`) {
			if !strings.Contains(body, `"items":1`) {
				t.Fatalf("the feed's state after its poll: %s", body)
			}
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the feed was not polled within a minute: %s", body)
		case <-time.After(50 * time.Millisecond):
		}
	}
	_, queue := call("GET", "/api/incidents?status=unreviewed", "")
	if !strings.Contains(queue, "Musa Qala") {
		t.Fatalf("the queue after the poll: %s", queue)
	}
	// A writer accepts it: an anonymous page's live stream, open all
	// along (and still open when serve is interrupted), is told.
	var fc struct {
		Features []struct {
			ID string `json:"id"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(queue), &fc); err != nil || len(fc.Features) != 1 {
		t.Fatalf("the queue: %v %s", err, queue)
	}
	if code, body := call("POST", "/api/incidents/"+fc.Features[0].ID+"/accept", ""); code != http.StatusOK {
		t.Fatalf("accepting: %d %s", code, body)
	}
	for live.Scan() {
		if line := live.Text(); strings.HasPrefix(line, "data: ") && strings.Contains(line, fc.Features[0].ID) {
			if !strings.Contains(line, "Musa Qala") {
				t.Errorf("the live event of the accepted incident: %s", line)
			}
			return
		}
	}
	t.Fatalf("the live stream ended before the accepted incident: %v", live.Err())
}
