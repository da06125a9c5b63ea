package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// TestQueryPlans checks which index SQLite picks for the review queue's
// pages and for published incidents: the queue most confident first is a
// seek in incidents_confidence from its cursor, not a sort; published
// incidents by date still walk the date index, whatever the queue's
// indexes offer.
func TestQueryPlans(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "plan.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ins []incident.Incident
	for i := range 300 {
		in := incident.Incident{EventDate: fmt.Sprintf("2020-%02d-%02d", 1+i%12, 1+i%28), Geometry: orb.Point{float64(i % 90), 1},
			Confidence: incident.Float(float64(i%10) / 10)}
		if i%10 == 0 {
			in.Status = incident.StatusUnreviewed
		}
		ins = append(ins, in)
	}
	if _, err := s.Insert(ctx, ins); err != nil {
		t.Fatal(err)
	}
	queue := []string{incident.StatusUnreviewed}
	after := cursor{order: ByConfidence, desc: true, confidence: 0.5, fid: 40}.encode()
	for _, c := range []struct {
		name       string
		q          Query
		index      string
		sortedRows bool // the page needs a sort of the rows found
	}{
		{"queue by confidence, first page", Query{Order: ByConfidence, Desc: true, Statuses: queue, Limit: 20}, "incidents_confidence", false},
		{"queue by confidence, next page", Query{Order: ByConfidence, Desc: true, Statuses: queue, Limit: 20, Cursor: after}, "incidents_confidence (status=? AND <expr><", false},
		{"queue by date", Query{Desc: true, Statuses: queue, Limit: 20}, "incidents_review", false},
		{"published by date", Query{Desc: true, Statuses: []string{incident.StatusPublished}, Limit: 20}, "incidents_event_date", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			text, args, err := s.selectSQL(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := s.reader.QueryContext(ctx, "EXPLAIN QUERY PLAN "+text, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, notused int
				var detail string
				if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			all := strings.Join(plan, "; ")
			if !strings.Contains(all, c.index) || strings.Contains(all, "TEMP B-TREE") != c.sortedRows {
				t.Errorf("plan %q: want %s, sorting rows %v", all, c.index, c.sortedRows)
			}
		})
	}
}
