package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// TestBulkInsertMatchesTriggers: a large Insert, which maintains the
// R*Tree and the audit trail in bulk, leaves the same R*Tree entries, the
// same audit rows and the same triggers as the same incidents written in
// small inserts, where the triggers run row by row. A conflict half-way
// through a large Insert writes nothing and leaves the triggers working.
func TestBulkInsertMatchesTriggers(t *testing.T) {
	ctx := store.WithActor(context.Background(), store.Actor{Name: "importer", Remote: "192.0.2.9", Action: "import", RequestID: "r1"})
	ins := synthetic(rand.New(rand.NewPCG(11, 11)), 1500)
	for i := range ins {
		ins[i].ID = fmt.Sprintf("bulk-%04d", i) // the same ids in both stores
		ins[i].SourceEventID = fmt.Sprintf("test:%d", i)
	}
	bulk, rowwise := openTemp(t), openTemp(t)
	if _, err := bulk.Insert(ctx, ins); err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(ins); off += 100 {
		if _, err := rowwise.Insert(ctx, ins[off:off+100]); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		"SELECT id, minx, maxx, miny, maxy FROM rtree_incidents_geom ORDER BY id",
		"SELECT seq, actor, remote, action, request_id, incident_id, change, before, json_remove(after, '$.created', '$.updated') FROM incidentmap_audit ORDER BY seq",
		"SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
		"SELECT actor FROM incidentmap_audit_context",
		"SELECT table_name, feature_count FROM gpkg_ogr_contents",
	} {
		got, want := rowsOf(t, bulk.DB(), q), rowsOf(t, rowwise.DB(), q)
		if !slices.Equal(got, want) {
			t.Errorf("%s:\nbulk    %d rows, first %v\nrowwise %d rows, first %v", q, len(got), first(got), len(want), first(want))
		}
	}
	if n := len(rowsOf(t, bulk.DB(), "SELECT id FROM rtree_incidents_geom")); n != len(ins) {
		t.Errorf("R*Tree holds %d entries, want %d", n, len(ins))
	}

	// A batch whose row 900 repeats a stored source event id.
	again := synthetic(rand.New(rand.NewPCG(12, 12)), 1000)
	again[900].SourceEventID = "test:3"
	before := rowsOf(t, bulk.DB(), "SELECT count(*) FROM incidents UNION ALL SELECT count(*) FROM incidentmap_audit UNION ALL SELECT count(*) FROM rtree_incidents_geom UNION ALL SELECT feature_count FROM gpkg_ogr_contents")
	_, err := bulk.Insert(ctx, again)
	if !errors.Is(err, store.ErrConflict) || !contains(err.Error(), "incident 900 ") {
		t.Fatalf("conflicting batch: %v, want ErrConflict naming incident 900", err)
	}
	if after := rowsOf(t, bulk.DB(), "SELECT count(*) FROM incidents UNION ALL SELECT count(*) FROM incidentmap_audit UNION ALL SELECT count(*) FROM rtree_incidents_geom UNION ALL SELECT feature_count FROM gpkg_ogr_contents"); !slices.Equal(after, before) {
		t.Errorf("a failed batch changed the counts (incidents, audit, R*Tree, feature count) from %v to %v", before, after)
	}
	one, err := bulk.Insert(ctx, again[:1])
	if err != nil {
		t.Fatal(err)
	}
	hist, err := bulk.Audit(ctx, store.AuditQuery{IncidentID: one[0].ID})
	if err != nil || len(hist) != 1 || hist[0].Actor != "importer" {
		t.Errorf("a row inserted after the failed batch: audit %+v, %v", hist, err)
	}
	if n := rowsOf(t, bulk.DB(), "SELECT count(*) FROM rtree_incidents_geom WHERE id = (SELECT fid FROM incidents WHERE id = '"+one[0].ID+"')"); n[0] != "1" {
		t.Errorf("a row inserted after the failed batch is not in the R*Tree")
	}
}

// rowsOf runs q and returns each row's columns printed together.
func rowsOf(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(vals...))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func first(rows []string) string {
	if len(rows) == 0 {
		return ""
	}
	return rows[0]
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// TestUpdateKeepsRTreeInStep: re-imported incidents whose geometry is
// unchanged (updated without touching geom, so the R*Tree triggers do not
// run) and moved ones (they do) leave the R*Tree equal to the geometries'
// envelopes, and each update audited with its geometry.
func TestUpdateKeepsRTreeInStep(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	ins := imported(13, 40, "rt")
	if _, err := s.Upsert(ctx, ins); err != nil {
		t.Fatal(err)
	}
	for i := range ins {
		ins[i].Notes = "re-imported"
		if i%2 == 0 {
			ins[i].Geometry = orb.Point{10 + float64(i)/10, -20}
		}
	}
	res, err := s.Upsert(ctx, ins)
	if err != nil || res.Updated != len(ins) {
		t.Fatalf("re-import: %+v, %v", res, err)
	}
	single, err := s.Get(ctx, res.IDs[1])
	if err != nil {
		t.Fatal(err)
	}
	single.Geometry = orb.Point{-40, 5}
	if _, err := s.Update(ctx, single); err != nil {
		t.Fatal(err)
	}
	stale := rowsOf(t, s.DB(), `SELECT i.fid FROM incidents i LEFT JOIN rtree_incidents_geom r ON r.id = i.fid
		WHERE r.id IS NULL OR r.minx > ST_MinX(i.geom) OR r.maxx < ST_MaxX(i.geom) OR r.miny > ST_MinY(i.geom) OR r.maxy < ST_MaxY(i.geom)
		OR r.minx < ST_MinX(i.geom) - 1e-4 OR r.maxy > ST_MaxY(i.geom) + 1e-4`)
	if len(stale) > 0 || len(rowsOf(t, s.DB(), "SELECT id FROM rtree_incidents_geom")) != len(ins) {
		t.Errorf("R*Tree entries not matching their rows: fids %v", stale)
	}
	box := geo.BBox{MinLon: 9.9, MinLat: -20.1, MaxLon: 14.1, MaxLat: -19.9}
	if n, err := s.Count(ctx, store.Query{BBox: &box}); err != nil || n != int64(len(ins)/2) {
		t.Errorf("moved incidents found in their new box: %d, %v; want %d", n, err, len(ins)/2)
	}
	hist, err := s.Audit(ctx, store.AuditQuery{IncidentID: res.IDs[1]})
	if err != nil || len(hist) != 3 || hist[1].After.Geometry == nil || hist[2].After.Geometry.(orb.Point) != (orb.Point{-40, 5}) {
		t.Errorf("history of an incident re-imported in place, then moved: %+v, %v", hist, err)
	}
}

// TestUpsertRepeatedSourceEventID: Upsert writes new incidents several to
// a statement; an incident repeating the source event id of an earlier
// one in the same call, still waiting to be written, updates it.
func TestUpsertRepeatedSourceEventID(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	ins := imported(14, 150, "rep")
	ins[120].SourceEventID = "rep:100" // 20 rows later: both wait in the same statement
	ins[120].Notes = "the later record"
	res, err := s.Upsert(ctx, ins)
	if err != nil || res.Inserted != 149 || res.Updated != 1 || res.IDs[120] != res.IDs[100] {
		t.Fatalf("upsert: inserted %d, updated %d, ids %q %q, %v", res.Inserted, res.Updated, res.IDs[100], res.IDs[120], err)
	}
	got, err := s.Get(ctx, res.IDs[100])
	if err != nil || got.Notes != "the later record" {
		t.Errorf("stored: %q, %v", got.Notes, err)
	}
	hist, err := s.Audit(ctx, store.AuditQuery{IncidentID: res.IDs[100]})
	if err != nil || len(hist) != 2 || hist[0].Change != "insert" || hist[1].Change != "update" {
		t.Errorf("history: %+v, %v", hist, err)
	}
	if n, err := s.Count(ctx, store.Query{}); err != nil || n != 149 {
		t.Errorf("%d incidents stored, %v; want 149", n, err)
	}
}

// imported returns n synthetic incidents (seeded by seed) with source
// event ids prefix:0, prefix:1...
func imported(seed uint64, n int, prefix string) []incident.Incident {
	ins := synthetic(rand.New(rand.NewPCG(seed, seed)), n)
	for i := range ins {
		ins[i].SourceEventID = fmt.Sprintf("%s:%d", prefix, i)
	}
	return ins
}
