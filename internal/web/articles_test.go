package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/web"
)

const articleText = "date 2023-05-12\nTwo policemen were killed when gunmen attacked a checkpoint in Bannu district on Thursday, officials said."

func TestPostArticle(t *testing.T) {
	srv := newPlacesServer(t)
	// Writes need the token.
	if r := do(t, http.MethodPost, srv.URL+"/api/articles", "", articleText); r.status != http.StatusUnauthorized {
		t.Fatalf("without token: status %d", r.status)
	}
	r := do(t, http.MethodPost, srv.URL+"/api/articles", testToken, articleText, "Content-Type", "text/plain")
	if r.status != http.StatusCreated {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	fs := features(t, r)
	if len(fs) != 1 {
		t.Fatalf("%d features, want 1: %s", len(fs), r.body)
	}
	f := fs[0]
	props := f["properties"].(map[string]any)
	if f["status"] != "new" || props["country"] != "PK" || props["event_date"] != "2023-05-11" || props["fatalities"] != float64(2) {
		t.Errorf("feature = %v", f)
	}
	// The same article again: nothing new, the stored incident marked existing.
	r2 := do(t, http.MethodPost, srv.URL+"/api/articles", testToken, articleText)
	if r2.status != http.StatusOK {
		t.Fatalf("again: status %d", r2.status)
	}
	fs2 := features(t, r2)
	if len(fs2) != 1 || fs2[0]["status"] != "existing" || fs2[0]["id"] != f["id"] {
		t.Errorf("again: %s", r2.body)
	}
	// JSON form, no incident: an empty collection and the reason.
	r3 := do(t, http.MethodPost, srv.URL+"/api/articles", testToken, `{"text":"The council met to discuss the budget.","published":"2023-05-12"}`,
		"Content-Type", "application/json")
	if r3.status != http.StatusOK || len(features(t, r3)) != 0 || !strings.Contains(string(r3.body), `"reason"`) {
		t.Errorf("no incident: status %d %s", r3.status, r3.body)
	}
}

func TestPostArticleBadInput(t *testing.T) {
	srv := newPlacesServer(t)
	tests := []struct {
		name, body string
		status     int
		field      string
		param      string
		url        string
	}{
		{"empty", "  ", http.StatusBadRequest, "text", "", ""},
		{"binary", "\x00\x01\x02\x03", http.StatusBadRequest, "text", "", ""},
		{"future header", "date 2999-01-01\nGunmen attacked Kano.", http.StatusBadRequest, "published", "", ""},
		{"malformed header", "date 2023-02-31\nGunmen attacked Kano.", http.StatusBadRequest, "published", "", ""},
		{"json without text", `{"url":"https://example.org"}`, http.StatusBadRequest, "text", "", ""},
		{"bad published parameter", "Gunmen attacked Kano.", http.StatusBadRequest, "", "published", "?published=soon"},
		{"unknown parameter", "Gunmen attacked Kano.", http.StatusBadRequest, "", "lang", "?lang=en"},
		{"too large", strings.Repeat("killed in Kano ", 5<<20/15), http.StatusRequestEntityTooLarge, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, http.MethodPost, srv.URL+"/api/articles"+tt.url, testToken, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q", ct)
			}
			m := r.json(t)
			if tt.field != "" && m["field"] != tt.field {
				t.Errorf("field = %v, want %s (%s)", m["field"], tt.field, r.body)
			}
			if tt.param != "" && m["param"] != tt.param {
				t.Errorf("param = %v, want %s (%s)", m["param"], tt.param, r.body)
			}
		})
	}
}

func TestGeoparse(t *testing.T) {
	srv := newPlacesServer(t)
	text := "Shelling hit Mykolaiv on Monday, Ukrainian officials said."
	r := do(t, http.MethodPost, srv.URL+"/api/geoparse", "", text)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	m := r.json(t)
	ms, _ := m["mentions"].([]any)
	if len(ms) != 2 || m["count"] != float64(2) {
		t.Fatalf("mentions: %s", r.body)
	}
	first := ms[0].(map[string]any)
	place, _ := first["place"].(map[string]any)
	if first["text"] != "Mykolaiv" || first["start"] != float64(13) || first["end"] != float64(21) ||
		first["start_byte"] != float64(13) || place == nil || place["country"] != "UA" || place["id"] == "" {
		t.Errorf("first mention = %v", first)
	}
	second := ms[1].(map[string]any)
	if second["kind"] != "demonym" {
		t.Errorf("second mention = %v", second)
	}
	if r := do(t, http.MethodPost, srv.URL+"/api/geoparse", "", ""); r.status != http.StatusBadRequest {
		t.Errorf("empty text: status %d", r.status)
	}
}

// TestPostArticleTwiceAtOnce sends the same article in simultaneous
// requests: one creates the incident, the others answer it as existing,
// and one incident is stored.
func TestPostArticleTwiceAtOnce(t *testing.T) {
	srv, st := startServer(t, web.Config{Token: testToken}, builtinGazetteer(t))
	const n = 4
	start := make(chan struct{})
	statuses := make([]int, n)
	bodies := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/articles", strings.NewReader(articleText))
			if err != nil {
				errs[i] = err
				return
			}
			req.Header.Set("Authorization", "Bearer "+testToken)
			<-start
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			statuses[i], bodies[i], errs[i] = res.StatusCode, string(b), err
		})
	}
	close(start)
	wg.Wait()
	created := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("request %d: %v", i, errs[i])
		}
		switch statuses[i] {
		case http.StatusCreated:
			created++
		case http.StatusOK:
			if !strings.Contains(bodies[i], `"status":"existing"`) {
				t.Errorf("request %d: 200 without the existing incident: %s", i, bodies[i])
			}
		default:
			t.Errorf("request %d: status %d: %s", i, statuses[i], bodies[i])
		}
	}
	if created != 1 {
		t.Errorf("%d requests created an incident, want 1", created)
	}
	if c, err := st.Count(context.Background(), store.Query{}); err != nil || c != 1 {
		t.Errorf("%d incidents stored (%v), want 1", c, err)
	}
}
