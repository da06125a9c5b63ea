package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// TestReviewMoves: the moves a review may make, table-driven from each
// status; a refused move changes nothing, and the note is kept.
func TestReviewMoves(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		from, to string
		ok       bool
	}{
		{incident.StatusUnreviewed, incident.StatusPublished, true},
		{incident.StatusUnreviewed, incident.StatusRejected, true},
		{incident.StatusPublished, incident.StatusPublished, true},
		{incident.StatusPublished, incident.StatusRejected, true},
		{incident.StatusRejected, incident.StatusPublished, false},
		{incident.StatusRejected, incident.StatusRejected, true},
		{incident.StatusUnreviewed, incident.StatusUnreviewed, false},
	}
	s := openTemp(t)
	for _, tt := range tests {
		in := pt(10, 10, "2020-01-01")
		in.Status = tt.from
		stored, err := s.Insert(ctx, []incident.Incident{in})
		if err != nil {
			t.Fatal(err)
		}
		id := stored[0].ID
		got, err := s.Review(ctx, id, tt.to, "why: "+tt.to)
		if tt.ok != (err == nil) || (err != nil && !errors.Is(err, store.ErrReview)) {
			t.Errorf("%s → %s: error %v, want ok %v", tt.from, tt.to, err, tt.ok)
			continue
		}
		want, wantNote := tt.to, "why: "+tt.to
		if !tt.ok {
			want, wantNote = tt.from, ""
			got, _ = s.Get(ctx, id)
		}
		note, err := s.ReviewNote(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != want || note != wantNote {
			t.Errorf("%s → %s: status %q note %q, want %q %q", tt.from, tt.to, got.Status, note, want, wantNote)
		}
	}
	if _, err := s.Review(ctx, "nope", incident.StatusPublished, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := s.Insert(ctx, []incident.Incident{{EventDate: "2020-01-01", Status: "draft"}}); err == nil {
		t.Error("an unknown status was stored")
	}
}

// TestAuditCarriesEveryColumn: the audit triggers, recreated by each
// migration that adds an incidents column, record every column.
func TestAuditCarriesEveryColumn(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if _, err := s.Insert(ctx, []incident.Incident{pt(1, 2, "2020-01-01")}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.ReadDB().QueryContext(ctx, "SELECT name FROM pragma_table_info('incidents') WHERE name <> 'fid'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	var after string
	if err := s.ReadDB().QueryRowContext(ctx, "SELECT after FROM incidentmap_audit ORDER BY seq DESC LIMIT 1").Scan(&after); err != nil {
		t.Fatal(err)
	}
	var row map[string]any
	if err := json.Unmarshal([]byte(after), &row); err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if _, ok := row[c]; !ok {
			t.Errorf("the audit row lacks column %s", c)
		}
	}
	if !slices.Contains(cols, "status") || row["status"] != incident.StatusPublished {
		t.Errorf("status column %v, audit status %v", cols, row["status"])
	}
}

// TestMerge: a queued incident merged into a stored one adds its sources
// (not the ones listed already), leaves the queue rejected with a note,
// and both writes are in the audit trail under the merge's actor; moves
// that make no sense are refused and change nothing.
func TestMerge(t *testing.T) {
	ctx := store.WithActor(context.Background(), store.Actor{Name: "editor", Action: "merge"})
	s := openTemp(t)
	src := func(url, evidence string) incident.Source { return incident.Source{URL: url, Evidence: evidence} }
	add := func(status string, sources ...incident.Source) string {
		in := pt(10, 10, "2020-01-01")
		in.Status, in.Sources = status, sources
		stored, err := s.Insert(ctx, []incident.Incident{in})
		if err != nil {
			t.Fatal(err)
		}
		return stored[0].ID
	}
	target := add(incident.StatusPublished, src("https://a.example/1", "Two were killed."))
	queued := add(incident.StatusUnreviewed, src("https://A.example/1", "Two were killed."), src("https://b.example/2", "Two died."))
	before, _ := s.LastChange(ctx)
	got, err := s.Merge(ctx, queued, target)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Sources) != 2 || got.Sources[1].URL != "https://b.example/2" || !got.Published() {
		t.Errorf("merged into: %+v, want the two distinct sources, still published", got)
	}
	left, err := s.Get(ctx, queued)
	if err != nil {
		t.Fatal(err)
	}
	note, _ := s.ReviewNote(ctx, queued)
	if left.Status != incident.StatusRejected || note != "merged into "+target {
		t.Errorf("the merged incident: status %q note %q", left.Status, note)
	}
	entries, err := s.Audit(ctx, store.AuditQuery{AfterSeq: before})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Action != "merge" || entries[1].Action != "merge" || entries[0].Actor != "editor" {
		t.Errorf("audit entries of the merge: %+v", entries)
	}

	rejected := add(incident.StatusRejected)
	published := add(incident.StatusPublished)
	another := add(incident.StatusUnreviewed)
	refused := []struct {
		name, from, into string
		want             error
	}{
		{"from a published incident", published, target, store.ErrReview},
		{"from a rejected incident", rejected, target, store.ErrReview},
		{"into a rejected incident", another, rejected, store.ErrReview},
		{"into itself", another, another, store.ErrReview},
		{"from an unknown id", "nope", target, store.ErrNotFound},
		{"into an unknown id", another, "nope", store.ErrNotFound},
	}
	for _, tt := range refused {
		last, _ := s.LastChange(ctx)
		if _, err := s.Merge(ctx, tt.from, tt.into); !errors.Is(err, tt.want) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.want)
		}
		if now, _ := s.LastChange(ctx); now != last {
			t.Errorf("%s: the refused merge wrote", tt.name)
		}
	}
}
