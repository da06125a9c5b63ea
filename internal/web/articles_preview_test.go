package web_test

import (
	"net/http"
	"testing"
)

// A dry run shows the incidents an article would add, stores nothing, and
// leaves the article unseen, so that saving it afterwards creates them.
func TestPostArticleDryRun(t *testing.T) {
	srv := newPlacesServer(t)
	count := func() int {
		return len(features(t, do(t, http.MethodGet, srv.URL+"/api/incidents", "", "")))
	}
	before := count()
	r := do(t, http.MethodPost, srv.URL+"/api/articles?dry_run=true", testToken, articleText)
	if r.status != http.StatusOK {
		t.Fatalf("dry run: status %d: %s", r.status, r.body)
	}
	fs := features(t, r)
	if len(fs) != 1 || fs[0]["status"] != "new" || fs[0]["id"] != nil || r.json(t)["dry_run"] != true {
		t.Fatalf("dry run answered %s", r.body)
	}
	// The preview says how the incident was read: the place's span and the
	// rules that decided it.
	why, _ := fs[0]["explanation"].(map[string]any)
	if place, _ := why["place"].(map[string]any); place == nil || place["end_byte"].(float64) <= place["start_byte"].(float64) {
		t.Errorf("explanation without a place span: %v", fs[0]["explanation"])
	}
	if rules, _ := why["rules"].([]any); len(rules) < 3 {
		t.Errorf("explanation names %d rules, want place, date and type: %v", len(rules), why["rules"])
	}
	if got := count(); got != before {
		t.Fatalf("a dry run stored incidents: %d before, %d after", before, got)
	}
	saved := do(t, http.MethodPost, srv.URL+"/api/articles", testToken, articleText)
	if saved.status != http.StatusCreated || features(t, saved)[0]["status"] != "new" {
		t.Fatalf("saving after the preview: %d %s", saved.status, saved.body)
	}
	if r := do(t, http.MethodPost, srv.URL+"/api/articles?dry_run=maybe", testToken, articleText); r.status != 400 || r.json(t)["param"] != "dry_run" {
		t.Fatalf("dry_run=maybe: %d %s", r.status, r.body)
	}
}
