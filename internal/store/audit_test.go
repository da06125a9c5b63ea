package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// TestAuditTrail: every write of an incident is recorded with who, from
// where, what and the row before and after, and the history outlives the
// incident; a write by another tool is recorded as such.
func TestAuditTrail(t *testing.T) {
	s := openTemp(t)
	as := func(name, action string) context.Context {
		return store.WithActor(context.Background(), store.Actor{Name: name, Remote: "192.0.2.7", Action: action, RequestID: "req-" + action})
	}
	in := pt(64.7, 32.4, "2020-01-02")
	in.Location = "Musa Qala"
	stored, err := s.Insert(as("alice", "create"), []incident.Incident{in})
	if err != nil {
		t.Fatal(err)
	}
	id := stored[0].ID
	changed := stored[0]
	changed.Fatalities = incident.Int(7)
	if _, err := s.Update(as("bob", "patch"), changed); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(as("carol", "delete"), id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec("INSERT INTO incidents (id, event_date, created, updated) VALUES ('gdal-1', '2020-01-01', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')"); err != nil {
		t.Fatal(err)
	}

	got, err := s.Audit(context.Background(), store.AuditQuery{IncidentID: id})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ actor, action, change string }{{"alice", "create", "insert"}, {"bob", "patch", "update"}, {"carol", "delete", "delete"}}
	if len(got) != len(want) {
		t.Fatalf("history of %s: %d entries, want %d: %+v", id, len(got), len(want), got)
	}
	for i, w := range want {
		e := got[i]
		if e.Actor != w.actor || e.Action != w.action || e.Change != w.change || e.Remote != "192.0.2.7" || e.RequestID != "req-"+w.action || e.At.IsZero() {
			t.Errorf("entry %d = %+v, want %v", i, e, w)
		}
	}
	if got[0].Before != nil || got[0].After == nil || got[0].After.Properties["location"] != "Musa Qala" || got[0].After.Geometry == nil {
		t.Errorf("insert entry: before %v after %v", got[0].Before, got[0].After)
	}
	if c := got[1].Changed; len(c) != 1 || c[0] != "fatalities" {
		t.Errorf("update entry changed %v, want [fatalities]", c)
	}
	if got[1].Before.Properties["fatalities"] != float64(1) || got[1].After.Properties["fatalities"] != float64(7) {
		t.Errorf("update entry: fatalities %v → %v", got[1].Before.Properties["fatalities"], got[1].After.Properties["fatalities"])
	}
	if got[2].Before == nil || got[2].After != nil {
		t.Errorf("delete entry: before %v after %v", got[2].Before, got[2].After)
	}
	ext, err := s.Audit(context.Background(), store.AuditQuery{IncidentID: "gdal-1"})
	if err != nil || len(ext) != 1 || ext[0].Actor != "external tool" {
		t.Errorf("a write outside incidentmap: %+v, %v", ext, err)
	}
}

// BenchmarkAuditedWrites measures what the triggers on incidents cost
// writes: batches of 1000 imported incidents, then the same imported again
// (updates), with every trigger, without the audit triggers and without
// GDAL's feature count triggers, side by side in one run.
func BenchmarkAuditedWrites(b *testing.B) {
	for _, c := range []struct {
		name string
		drop []string
	}{
		{"audited", nil},
		{"unaudited", []string{"incidentmap_audit_insert", "incidentmap_audit_update", "incidentmap_audit_delete"}},
		{"uncounted", []string{"trigger_insert_feature_count_incidents", "trigger_delete_feature_count_incidents"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			s := openTemp(b)
			for _, tr := range c.drop {
				if _, err := s.DB().Exec("DROP TRIGGER " + tr); err != nil {
					b.Fatal(err)
				}
			}
			rng := rand.New(rand.NewPCG(5, 5))
			ctx := context.Background()
			b.ResetTimer()
			for n := range b.N {
				batch := synthetic(rng, 1000)
				for i := range batch {
					batch[i].SourceEventID = fmt.Sprintf("bench:%d:%d", n, i)
				}
				for range 2 { // inserts, then updates
					if _, err := s.Upsert(ctx, batch); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
