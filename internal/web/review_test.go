package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// TestReviewQueue: an ingested incident waits unreviewed, unseen by
// anonymous and reader requests (list, single, clusters, export, OGC),
// listed for writers with status=; accepting publishes it, rejecting keeps
// the reason; each action is in the audit trail under the writer's key.
func TestReviewQueue(t *testing.T) {
	srv := newPlacesServer(t)
	writer := addKey(t, srv.URL, testToken, "desk", "writer")
	reader := addKey(t, srv.URL, testToken, "analyst", "reader")
	r := do(t, http.MethodPost, srv.URL+"/api/articles", writer, articleText, "Content-Type", "text/plain")
	if r.status != http.StatusCreated {
		t.Fatalf("ingest: status %d: %s", r.status, r.body)
	}
	id := features(t, r)[0]["id"].(string)
	hand := do(t, http.MethodPost, srv.URL+"/api/incidents", writer, collection(feature(69.2, 34.5, "1999-02-03", "Kabul", 2)))
	handID := features(t, hand)[0]["id"].(string)

	ids := func(key, query string) string {
		t.Helper()
		r := do(t, http.MethodGet, srv.URL+"/api/incidents"+query, key, "")
		if r.status != http.StatusOK {
			t.Fatalf("GET /api/incidents%s: status %d: %s", query, r.status, r.body)
		}
		var out []string
		for _, f := range features(t, r) {
			out = append(out, f["id"].(string))
		}
		return strings.Join(out, ",")
	}
	before := []struct {
		name, key, query, want string
	}{
		{"anonymous default", "", "", handID},
		{"reader default", reader, "", handID},
		{"writer default", writer, "", handID},
		{"writer queue", writer, "?status=unreviewed", id},
		{"writer all", writer, "?status=all&sort=event_date", handID + "," + id},
		{"writer list of statuses", writer, "?status=unreviewed,rejected", id},
		{"anonymous published", "", "?status=published", handID},
	}
	for _, tt := range before {
		if got := ids(tt.key, tt.query); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	refused := []struct {
		name, method, path, key, body string
		status                        int
		field                         string
	}{
		{"anonymous asks the queue", "GET", "/api/incidents?status=unreviewed", "", "", 403, `"param":"status"`},
		{"reader asks everything", "GET", "/api/incidents?status=all", reader, "", 403, `"param":"status"`},
		{"unknown status", "GET", "/api/incidents?status=draft", writer, "", 400, `"param":"status"`},
		{"reader exports the queue", "GET", "/api/export?format=geojson&status=unreviewed", reader, "", 403, `"param":"status"`},
		{"anonymous reads it", "GET", "/api/incidents/" + id, "", "", 404, ""},
		{"reader reads its history", "GET", "/api/incidents/" + id + "/history", reader, "", 404, ""},
		{"reader reads it over OGC", "GET", "/ogc/collections/incidents/items/" + id + "?f=json", reader, "", 404, ""},
		{"reader accepts", "POST", "/api/incidents/" + id + "/accept", reader, "", 403, ""},
		{"anonymous rejects", "POST", "/api/incidents/" + id + "/reject", "", `{"reason":"x"}`, 401, ""},
		{"reject without reason", "POST", "/api/incidents/" + id + "/reject", writer, "", 400, `"field":"reason"`},
		{"reject with a stray member", "POST", "/api/incidents/" + id + "/reject", writer, `{"why":"x"}`, 400, `"field":"body"`},
		{"accept an unknown id", "POST", "/api/incidents/nope/accept", writer, "", 404, ""},
	}
	for _, tt := range refused {
		r := do(t, tt.method, srv.URL+tt.path, tt.key, tt.body)
		if r.status != tt.status || !strings.Contains(string(r.body), tt.field) {
			t.Errorf("%s: status %d, want %d with %s: %s", tt.name, r.status, tt.status, tt.field, r.body)
		}
	}
	if r := do(t, "GET", srv.URL+"/api/incidents/"+id, writer, ""); r.status != http.StatusOK {
		t.Errorf("a writer reads the unreviewed incident: status %d", r.status)
	}

	// Edit, then accept: the edit keeps it in the queue.
	if r := do(t, http.MethodPatch, srv.URL+"/api/incidents/"+id, writer, `{"properties":{"fatalities":3}}`); r.status != http.StatusOK {
		t.Fatalf("patch: status %d: %s", r.status, r.body)
	}
	if got := ids(writer, "?status=unreviewed"); got != id {
		t.Errorf("after an edit the queue holds %q, want %q", got, id)
	}
	if r := do(t, http.MethodPost, srv.URL+"/api/incidents/"+id+"/accept", writer, ""); r.status != http.StatusOK || !strings.Contains(string(r.body), `"status":"published"`) {
		t.Fatalf("accept: status %d: %s", r.status, r.body)
	}
	if got := ids("", "?sort=event_date"); got != handID+","+id {
		t.Errorf("after accepting, anonymous sees %q", got)
	}
	if r := do(t, "GET", srv.URL+"/api/incidents/"+id, "", ""); r.status != http.StatusOK || !strings.Contains(string(r.body), `"fatalities":3`) {
		t.Errorf("anonymous reads the accepted incident: status %d: %s", r.status, r.body)
	}

	// Reject the hand-made one: it leaves the public list, the reason kept.
	if r := do(t, http.MethodPost, srv.URL+"/api/incidents/"+handID+"/reject", writer, `{"reason":"duplicate of a wire report"}`); r.status != http.StatusOK {
		t.Fatalf("reject: status %d: %s", r.status, r.body)
	}
	if got := ids("", ""); got != id {
		t.Errorf("after rejecting, anonymous sees %q, want %q", got, id)
	}
	if r := do(t, http.MethodPost, srv.URL+"/api/incidents/"+handID+"/accept", writer, ""); r.status != http.StatusConflict {
		t.Errorf("accepting a rejected incident: status %d, want 409: %s", r.status, r.body)
	}
	h := do(t, http.MethodGet, srv.URL+"/api/incidents/"+handID+"/history", writer, "")
	for _, want := range []string{`"action":"reject"`, `"review_note":"duplicate of a wire report"`, `"status":"rejected"`, `"actor":"desk"`} {
		if !strings.Contains(string(h.body), want) {
			t.Errorf("history of the rejected incident lacks %s: %s", want, h.body)
		}
	}
	h = do(t, http.MethodGet, srv.URL+"/api/incidents/"+id+"/history", writer, "")
	for _, want := range []string{`"action":"accept"`, `"status":"published"`, `"status":"unreviewed"`} {
		if !strings.Contains(string(h.body), want) {
			t.Errorf("history of the accepted incident lacks %s: %s", want, h.body)
		}
	}
}

// TestMergeQueued: a writer merges a queued incident into the stored one
// it repeats; the stored one lists both reports, the queued one leaves
// the queue, and the history says "merge". Bad requests name the field.
func TestMergeQueued(t *testing.T) {
	srv, st := newServer(t)
	writer := addKey(t, srv.URL, testToken, "desk", "writer")
	reader := addKey(t, srv.URL, testToken, "analyst", "reader")
	r := do(t, http.MethodPost, srv.URL+"/api/incidents", writer, feature(64.7, 32.4, "2019-09-23", "Musa Qala", 7))
	target := features(t, r)[0]["id"].(string)
	queued, err := st.Insert(context.Background(), []incident.Incident{{EventDate: "2019-09-23", EventType: incident.Battles,
		Geometry: orb.Point{64.71, 32.41}, Country: "AF", Status: incident.StatusUnreviewed,
		Sources: []incident.Source{{URL: "https://b.example/musa-qala", Evidence: "Seven died in Musa Qala."}}}})
	if err != nil {
		t.Fatal(err)
	}
	id := queued[0].ID
	path := srv.URL + "/api/incidents/" + id + "/merge"
	refused := []struct {
		name, key, body string
		status          int
		want            string
	}{
		{"a reader", reader, `{"into":"` + target + `"}`, 403, ""},
		{"no into", writer, `{}`, 400, `"field":"into"`},
		{"not JSON", writer, `into=` + target, 400, `"field":"body"`},
		{"unknown field", writer, `{"into":"` + target + `","reason":"x"}`, 400, `"field":"body"`},
		{"into itself", writer, `{"into":"` + id + `"}`, 409, `"field":"status"`},
		{"into an unknown id", writer, `{"into":"nope"}`, 404, ""},
	}
	for _, tt := range refused {
		r := do(t, http.MethodPost, path, tt.key, tt.body)
		if r.status != tt.status || !strings.Contains(string(r.body), tt.want) {
			t.Errorf("%s: status %d %s, want %d with %s", tt.name, r.status, r.body, tt.status, tt.want)
		}
	}
	r = do(t, http.MethodPost, path, writer, `{"into":"`+target+`"}`)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"merged_into":"`+target+`"`) {
		t.Fatalf("merge: status %d %s", r.status, r.body)
	}
	got := do(t, http.MethodGet, srv.URL+"/api/incidents/"+target, "", "")
	if !strings.Contains(string(got.body), "https://example.org/a") || !strings.Contains(string(got.body), "https://b.example/musa-qala") {
		t.Errorf("the incident merged into: %s", got.body)
	}
	if q := do(t, http.MethodGet, srv.URL+"/api/incidents?status=unreviewed", writer, ""); len(features(t, q)) != 0 {
		t.Errorf("the queue after the merge: %s", q.body)
	}
	h := do(t, http.MethodGet, srv.URL+"/api/incidents/"+id+"/history", writer, "")
	if !strings.Contains(string(h.body), `"action":"merge"`) || !strings.Contains(string(h.body), `"actor":"desk"`) {
		t.Errorf("history of the merged incident: %s", h.body)
	}
	// Merged once, it is no longer in the queue to merge again.
	if r := do(t, http.MethodPost, path, writer, `{"into":"`+target+`"}`); r.status != http.StatusConflict {
		t.Errorf("merging again: status %d %s", r.status, r.body)
	}
}

// TestIncidentArticles: a writer reads the articles an incident was read
// from, with their text, the evidence in it; readers may not; an incident
// made by hand has none.
func TestIncidentArticles(t *testing.T) {
	srv := newPlacesServer(t)
	r := do(t, http.MethodPost, srv.URL+"/api/articles", testToken,
		`{"text":"Two policemen were killed when gunmen attacked a checkpoint in Bannu district on Thursday, officials said.","url":"https://example.org/bannu","title":"Bannu attack","published":"2023-05-12"}`,
		"Content-Type", "application/json")
	if r.status != http.StatusCreated {
		t.Fatalf("ingest: %d %s", r.status, r.body)
	}
	f := features(t, r)[0]
	id := f["id"].(string)
	evidence := f["properties"].(map[string]any)["sources"].([]any)[0].(map[string]any)["evidence"].(string)
	got := do(t, http.MethodGet, srv.URL+"/api/incidents/"+id+"/articles", testToken, "")
	var body struct {
		Articles []struct{ URL, Title, Text string } `json:"articles"`
	}
	if err := json.Unmarshal(got.body, &body); err != nil || got.status != http.StatusOK {
		t.Fatalf("articles: %d %s", got.status, got.body)
	}
	if len(body.Articles) != 1 || body.Articles[0].URL != "https://example.org/bannu" || body.Articles[0].Title != "Bannu attack" ||
		!strings.Contains(body.Articles[0].Text, evidence) {
		t.Errorf("articles = %+v, want the article holding %q", body.Articles, evidence)
	}
	reader := addKey(t, srv.URL, testToken, "analyst", "reader")
	if r := do(t, http.MethodGet, srv.URL+"/api/incidents/"+id+"/articles", reader, ""); r.status != http.StatusForbidden {
		t.Errorf("a reader: status %d", r.status)
	}
	if r := do(t, http.MethodGet, srv.URL+"/api/incidents/nope/articles", testToken, ""); r.status != http.StatusNotFound {
		t.Errorf("an unknown id: status %d", r.status)
	}
	hand := do(t, http.MethodPost, srv.URL+"/api/incidents", testToken, feature(69.2, 34.5, "2019-02-03", "Kabul", 2))
	handID := features(t, hand)[0]["id"].(string)
	if r := do(t, http.MethodGet, srv.URL+"/api/incidents/"+handID+"/articles", testToken, ""); r.status != http.StatusOK ||
		!strings.Contains(string(r.body), `"articles":[]`) {
		t.Errorf("an incident made by hand: %d %s", r.status, r.body)
	}
}

// TestReviewQueueByConfidence pages through the queue most confident
// first (sort=-confidence) by following next links, as the review panel
// does, and checks the refusals: an unknown order, a cursor of another
// order, and the queue asked without a writer key.
func TestReviewQueueByConfidence(t *testing.T) {
	srv, st := newServer(t)
	confs := []float64{0.4, 0.9, 0.4, 0.75, 0.1, 0.9, 0.55}
	var ins []incident.Incident
	for i, c := range confs {
		ins = append(ins, incident.Incident{Location: fmt.Sprintf("q%d", i), EventDate: fmt.Sprintf("2024-03-%02d", 10-i),
			EventType: incident.Battles, Geometry: orb.Point{65, 33}, Confidence: incident.Float(c), Status: incident.StatusUnreviewed})
	}
	ins = append(ins, incident.Incident{Location: "published", EventDate: "2024-03-01", EventType: incident.Battles, Geometry: orb.Point{65, 33},
		Confidence: incident.Float(1)})
	if _, err := st.Insert(context.Background(), ins); err != nil {
		t.Fatal(err)
	}
	// Most confident first; equal confidences newest stored first.
	want := "q5,q1,q3,q6,q2,q0,q4"
	var got []string
	url := srv.URL + "/api/incidents?status=unreviewed&sort=-confidence&limit=2"
	var pages int
	for url != "" {
		if pages++; pages > len(confs) {
			t.Fatal("paging does not end")
		}
		r := do(t, http.MethodGet, url, testToken, "")
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: status %d: %s", url, r.status, r.body)
		}
		for _, f := range features(t, r) {
			got = append(got, f["properties"].(map[string]any)["location"].(string))
		}
		url = ""
		for _, l := range r.json(t)["links"].([]any) {
			if l := l.(map[string]any); l["rel"] == "next" {
				url = l["href"].(string)
			}
		}
	}
	if strings.Join(got, ",") != want || pages != 4 {
		t.Errorf("queue by confidence in %d pages: %s, want %s in 4", pages, strings.Join(got, ","), want)
	}

	first := do(t, http.MethodGet, srv.URL+"/api/incidents?status=unreviewed&sort=-confidence&limit=2", testToken, "").json(t)
	next := first["next"].(string)
	for _, tt := range []struct {
		name, query, key string
		status           int
		param            string
	}{
		{"unknown order", "?status=unreviewed&sort=-confidence_score", testToken, 400, `"param":"sort"`},
		{"order written twice", "?status=unreviewed&sort=-confidence&sort=confidence", testToken, 400, `"param":"sort"`},
		{"cursor of the date order", "?status=unreviewed&sort=-event_date&cursor=" + next, testToken, 400, `"param":"cursor"`},
		{"cursor of the other direction", "?status=unreviewed&sort=confidence&cursor=" + next, testToken, 400, `"param":"cursor"`},
		{"queue without a key", "?status=unreviewed&sort=-confidence", "", 403, `"param":"status"`},
	} {
		r := do(t, http.MethodGet, srv.URL+"/api/incidents"+tt.query, tt.key, "")
		if r.status != tt.status || !strings.Contains(string(r.body), tt.param) ||
			(r.status == 400 && !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json")) {
			t.Errorf("%s: status %d (%s), want %d naming %s: %s", tt.name, r.status, r.header.Get("Content-Type"), tt.status, tt.param, r.body)
		}
	}
	// Readers may sort what they see, the published incidents, too.
	if r := do(t, http.MethodGet, srv.URL+"/api/incidents?sort=-confidence", "", ""); r.status != http.StatusOK || len(features(t, r)) != 1 {
		t.Errorf("anonymous sort=-confidence: status %d: %s", r.status, r.body)
	}
}
