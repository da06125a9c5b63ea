package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/web"
)

// sseEvent is one event read from a live stream; a comment (heartbeat)
// has the name ":".
type sseEvent struct {
	name, id, data string
}

// liveStream reads GET /api/events in the background.
type liveStream struct {
	events chan sseEvent
	cancel context.CancelFunc
	status int
}

// openStream opens the live stream with token (may be "") and lastID
// (may be ""), and waits for its first event, which must be ready.
func openStream(t *testing.T, srv *httptest.Server, token, lastID string) *liveStream {
	t.Helper()
	ls := tryStream(t, srv, token, lastID)
	if ls.status != http.StatusOK {
		t.Fatalf("GET /api/events: status %d", ls.status)
	}
	ls.next(t, "ready")
	return ls
}

// tryStream opens the live stream and returns at once with its status.
func tryStream(t *testing.T, srv *httptest.Server, token, lastID string) *liveStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	req.Header.Set("Accept-Encoding", "gzip") // must not be compressed all the same
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	ls := &liveStream{events: make(chan sseEvent, 1024), cancel: cancel, status: res.StatusCode}
	t.Cleanup(cancel)
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return ls
	}
	if ct, ce := res.Header.Get("Content-Type"), res.Header.Get("Content-Encoding"); ct != "text/event-stream" || ce != "" {
		t.Errorf("Content-Type %q, Content-Encoding %q", ct, ce)
	}
	go func() {
		defer res.Body.Close()
		defer close(ls.events)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(nil, 1<<20)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					ls.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, ":"):
				ev.name = ":"
			case strings.HasPrefix(line, "event: "):
				ev.name = line[len("event: "):]
			case strings.HasPrefix(line, "id: "):
				ev.id = line[len("id: "):]
			case strings.HasPrefix(line, "data: "):
				ev.data = line[len("data: "):]
			}
		}
	}()
	return ls
}

// streamWait bounds how long a test waits for an event that must come;
// it is reached only when the server is broken.
const streamWait = 20 * time.Second

// next returns the next event that is not a heartbeat; it must be named
// name.
func (ls *liveStream) next(t *testing.T, name string) sseEvent {
	t.Helper()
	deadline := time.After(streamWait)
	for {
		select {
		case ev, ok := <-ls.events:
			if !ok {
				t.Fatalf("the stream ended while waiting for %s", name)
			}
			if ev.name == ":" {
				continue
			}
			if ev.name != name {
				t.Fatalf("event %s %s, want %s", ev.name, ev.data, name)
			}
			return ev
		case <-deadline:
			t.Fatalf("no %s event within %v", name, streamWait)
		}
	}
}

// ended waits for the stream to end.
func (ls *liveStream) ended(t *testing.T) {
	t.Helper()
	deadline := time.After(streamWait)
	for {
		select {
		case _, ok := <-ls.events:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatalf("the stream did not end within %v", streamWait)
		}
	}
}

func eventID(t *testing.T, ev sseEvent) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(ev.data), &m); err != nil {
		t.Fatalf("event data is not JSON: %v: %s", err, ev.data)
	}
	id, _ := m["id"].(string)
	return id
}

// TestLiveEvents: readers are told about published incidents as they are
// created, changed, rejected and deleted, and nothing of the queue;
// writers are told about the queue too, with each incident's status.
func TestLiveEvents(t *testing.T) {
	srv, st := newServer(t)
	reader := openStream(t, srv, "", "")
	writer := openStream(t, srv, testToken, "")
	ctx := context.Background()

	// A published incident: both hear of it.
	r := do(t, http.MethodPost, srv.URL+"/api/incidents", testToken, feature(64.7, 32.4, "2019-09-23", "Musa Qala", 7))
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	id := features(t, r)[0]["id"].(string)
	for _, ls := range []*liveStream{reader, writer} {
		if ev := ls.next(t, "incident"); eventID(t, ev) != id || !strings.Contains(ev.data, `"Musa Qala"`) {
			t.Errorf("create: %s", ev.data)
		}
	}
	// One the machine found: writers only, with its status.
	queued := incident.Incident{EventDate: "2019-09-24", EventType: "Battles", Location: "Sangin", Country: "AF",
		Geometry: orb.Point{64.8, 32.0}, Status: incident.StatusUnreviewed}
	stored, err := st.Insert(ctx, []incident.Incident{queued})
	if err != nil {
		t.Fatal(err)
	}
	if ev := writer.next(t, "incident"); eventID(t, ev) != stored[0].ID || !strings.Contains(ev.data, `"status":"unreviewed"`) {
		t.Errorf("queued, to the writer: %s", ev.data)
	}
	// A patch of the published one: both, with the new value; readers
	// have heard nothing of the queued one in between.
	if r := do(t, http.MethodPatch, srv.URL+"/api/incidents/"+id, testToken, `{"properties":{"fatalities":9}}`); r.status != http.StatusOK {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	for _, ls := range []*liveStream{reader, writer} {
		if ev := ls.next(t, "incident"); eventID(t, ev) != id || !strings.Contains(ev.data, `"fatalities":9`) {
			t.Errorf("patch: %s", ev.data)
		}
	}
	// Accepting the queued one: now readers see it.
	if r := do(t, http.MethodPost, srv.URL+"/api/incidents/"+stored[0].ID+"/accept", testToken, ""); r.status != http.StatusOK {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	for _, ls := range []*liveStream{reader, writer} {
		if ev := ls.next(t, "incident"); eventID(t, ev) != stored[0].ID {
			t.Errorf("accept: %s", ev.data)
		}
	}
	// Rejecting it after all: removed for readers, rejected for writers.
	if r := do(t, http.MethodPost, srv.URL+"/api/incidents/"+stored[0].ID+"/reject", testToken, `{"reason":"duplicate"}`); r.status != http.StatusOK {
		t.Fatalf("reject: %d %s", r.status, r.body)
	}
	if ev := reader.next(t, "removed"); eventID(t, ev) != stored[0].ID {
		t.Errorf("reject, to the reader: %s", ev.data)
	}
	if ev := writer.next(t, "incident"); !strings.Contains(ev.data, `"status":"rejected"`) {
		t.Errorf("reject, to the writer: %s", ev.data)
	}
	// Deleting the published one: removed for both.
	if r := do(t, http.MethodDelete, srv.URL+"/api/incidents/"+id, testToken, ""); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	for _, ls := range []*liveStream{reader, writer} {
		if ev := ls.next(t, "removed"); eventID(t, ev) != id {
			t.Errorf("delete: %s", ev.data)
		}
	}
}

// TestLiveEventsResume: a page that reconnects with Last-Event-ID is sent
// what changed while it was away, once per incident.
func TestLiveEventsResume(t *testing.T) {
	srv, _ := newServer(t)
	first := openStream(t, srv, "", "")
	r := do(t, http.MethodPost, srv.URL+"/api/incidents", testToken, feature(64.7, 32.4, "2019-09-23", "Musa Qala", 7))
	id := features(t, r)[0]["id"].(string)
	seen := first.next(t, "incident")
	first.cancel()
	// While away: the incident is changed twice and another is created.
	do(t, http.MethodPatch, srv.URL+"/api/incidents/"+id, testToken, `{"properties":{"fatalities":8}}`)
	do(t, http.MethodPatch, srv.URL+"/api/incidents/"+id, testToken, `{"properties":{"fatalities":9}}`)
	r2 := do(t, http.MethodPost, srv.URL+"/api/incidents", testToken, feature(65.1, 31.6, "2019-09-24", "Lashkar Gah", 1))
	id2 := features(t, r2)[0]["id"].(string)

	// What was missed comes at least once, each incident as it now is (the
	// hub may still be sending the last writes out, so an incident can
	// come from the replay and again live).
	again := openStream(t, srv, "", seen.id)
	got := map[string]string{}
	for got[id2] == "" {
		ev := again.next(t, "incident")
		got[eventID(t, ev)] = ev.data
	}
	if !strings.Contains(got[id], `"fatalities":9`) {
		t.Errorf("the changed incident before the new one: %q, want it at its latest", got[id])
	}
	if r := tryStream(t, srv, "", "yesterday"); r.status != http.StatusBadRequest {
		t.Errorf("Last-Event-ID yesterday: status %d, want 400", r.status)
	}
}

// TestLiveEventsBurst: a write of more incidents than are worth telling
// one by one is a reset, which has the page reload its view.
func TestLiveEventsBurst(t *testing.T) {
	srv, _ := newServer(t)
	ls := openStream(t, srv, "", "")
	fs := make([]string, 600)
	for i := range fs {
		fs[i] = feature(60+float64(i)/100, 30, "2019-09-23", "Somewhere", i%5)
	}
	if r := do(t, http.MethodPost, srv.URL+"/api/incidents", testToken, collection(fs...)); r.status != http.StatusCreated {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	ls.next(t, "reset")
	// Afterwards single changes come one by one again.
	do(t, http.MethodPost, srv.URL+"/api/incidents", testToken, feature(64.7, 32.4, "2019-09-23", "Musa Qala", 7))
	ls.next(t, "incident")
}

// TestLiveEventsBounds: streams beyond the limit are refused with 503,
// idle streams send heartbeats, and closing the server ends them all.
func TestLiveEventsBounds(t *testing.T) {
	api, srv, _ := startAPI(t, web.Config{Token: testToken, Limits: web.Limits{Streams: 2, Heartbeat: 20 * time.Millisecond}}, nil)
	a := openStream(t, srv, "", "")
	b := openStream(t, srv, testToken, "")
	over := tryStream(t, srv, "", "")
	if over.status != http.StatusServiceUnavailable {
		t.Errorf("third stream: status %d, want 503", over.status)
	}
	// A heartbeat arrives on an idle stream.
	select {
	case ev := <-a.events:
		if ev.name != ":" {
			t.Errorf("idle stream sent %s %s, want a heartbeat", ev.name, ev.data)
		}
	case <-time.After(streamWait):
		t.Fatal("no heartbeat")
	}
	// A closed stream frees its slot.
	a.cancel()
	a.ended(t)
	deadline := time.Now().Add(streamWait)
	for {
		c := tryStream(t, srv, "", "")
		if c.status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the slot of a closed stream was not freed")
		}
		time.Sleep(10 * time.Millisecond) // the server notices the client left at its next write
	}
	// Shutting down ends the open streams and refuses new ones.
	api.Close()
	b.ended(t)
	if r := tryStream(t, srv, "", ""); r.status != http.StatusServiceUnavailable {
		t.Errorf("after Close: status %d, want 503", r.status)
	}
}
