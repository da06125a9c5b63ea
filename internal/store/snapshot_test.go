package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// TestSnapshotLeaksNothingPrivate is finding 1 and 5 of issue 12: a
// snapshot of every incident (no filter, or a whole-world box) must not
// carry the write token, a deleted setting, or ingested articles, not even
// in its free pages.
func TestSnapshotLeaksNothingPrivate(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	const token, articleURL = "5ecret-write-token-8f3a1c", "https://example.org/unpublished-tip-7731"
	if _, err := s.SetSettingIfAbsent(ctx, "write_token", token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetSettingIfAbsent(ctx, "old_secret", "deleted-"+token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "DELETE FROM incidentmap_settings WHERE key = 'old_secret'"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"INSERT INTO ingested_articles (key, url, title, incident_ids, created) VALUES ('k1', '" + articleURL + "', 'Unpublished tip', '[]', '2020-01-01')",
	} {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Insert(ctx, synthetic(rand.New(rand.NewPCG(1, 1)), 300)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		q    store.Query
		want int64
	}{
		{"no filter", store.Query{}, 300},
		{"whole world", store.Query{BBox: &geo.BBox{MinLon: -180, MinLat: -90, MaxLon: 180, MaxLat: 90}}, 300},
		{"one country", store.Query{Countries: []string{"AF"}}, -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "snap.gpkg")
			if err := s.Snapshot(ctx, path, tt.q); err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{token, articleURL, "Unpublished tip"} {
				if bytes.Contains(raw, []byte(secret)) {
					t.Errorf("the snapshot's bytes contain %q", secret)
				}
			}
			snap, err := store.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer snap.Close()
			n, err := snap.Count(ctx, store.Query{})
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if want < 0 {
				if want, err = s.Count(ctx, tt.q); err != nil {
					t.Fatal(err)
				}
			}
			if n != want || n == 0 {
				t.Errorf("the snapshot holds %d incidents, want %d", n, want)
			}
			var articles int
			if err := snap.ReadDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM ingested_articles").Scan(&articles); err != nil || articles != 0 {
				t.Errorf("ingested_articles in the snapshot: %d rows, %v", articles, err)
			}
			if _, err := snap.Setting(ctx, "write_token"); err == nil {
				t.Error("the snapshot has a write_token setting")
			}
			var audited, triggers int
			snap.ReadDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM incidentmap_audit").Scan(&audited)
			snap.ReadDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'incidentmap_audit_%'").Scan(&triggers)
			if audited != 0 || triggers != 3 {
				t.Errorf("the snapshot has %d audit rows (want none: the source's trail stays private) and %d audit triggers (want 3)", audited, triggers)
			}
		})
	}
}

// TestSnapshotSchemaAndIndex checks that a snapshot, whose incidents are
// copied in with the table's triggers (and, for some of the rows, its
// indexes) held back, ends with the source's indexes and triggers, an
// R*Tree entry equal to the source's for every copied incident and none
// other, and a file that passes SQLite's integrity check (indexes agree
// with the table) — for every row (indexes and R*Tree copied as they are)
// and for some, and for published incidents alone before and after one
// waits for review (which turns a copy of every row into a copy of some).
func TestSnapshotSchemaAndIndex(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if _, err := s.Insert(ctx, synthetic(rand.New(rand.NewPCG(3, 3)), 2000)); err != nil {
		t.Fatal(err)
	}
	published := store.Query{Statuses: []string{incident.StatusPublished}}
	schema := func(db *sql.DB) []string {
		t.Helper()
		rows, err := db.QueryContext(ctx, "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master WHERE tbl_name = 'incidents' ORDER BY type, name")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			out = append(out, line)
		}
		return out
	}
	const rtreeRows = "SELECT r.id, r.minx, r.maxx, r.miny, r.maxy FROM rtree_incidents_geom r"
	entries := func(db *sql.DB, query string) map[int64][4]float64 {
		t.Helper()
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[int64][4]float64{}
		for rows.Next() {
			var id int64
			var b [4]float64
			if err := rows.Scan(&id, &b[0], &b[1], &b[2], &b[3]); err != nil {
				t.Fatal(err)
			}
			out[id] = b
		}
		return out
	}
	for i, c := range []struct {
		q      store.Query
		where  string // the rows the snapshot holds
		before func()
	}{
		{store.Query{}, "1", nil},
		{store.Query{Countries: []string{"AF"}}, "i.country = 'AF'", nil},
		{published, "1", nil},
		{published, "i.status = 'published'", func() {
			queued := pt(65, 33, "2021-03-04")
			queued.Status = incident.StatusUnreviewed
			if _, err := s.Insert(ctx, []incident.Incident{queued}); err != nil {
				t.Fatal(err)
			}
		}},
		{store.Query{}, "1", nil},
	} {
		if c.before != nil {
			c.before()
		}
		q := c.q
		path := filepath.Join(t.TempDir(), fmt.Sprintf("snap%d.gpkg", i))
		if err := s.Snapshot(ctx, path, q); err != nil {
			t.Fatal(err)
		}
		snap, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := schema(snap.DB()), schema(s.DB()); !slices.Equal(got, want) {
			t.Errorf("snapshot schema of incidents:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		got := entries(snap.DB(), rtreeRows)
		want := entries(s.DB(), "SELECT r.id, r.minx, r.maxx, r.miny, r.maxy FROM rtree_incidents_geom r JOIN incidents i ON i.fid = r.id WHERE "+c.where)
		var rows, wantRows int
		if err := snap.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM incidents").Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM incidents i WHERE "+c.where).Scan(&wantRows); err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got, want) || len(got) != rows || rows != wantRows {
			t.Errorf("snapshot %d (%+v): %d rows, want %d; its R*Tree has %d entries, want the source's %d", i, q, rows, wantRows, len(got), len(want))
		}
		var extent, data [4]float64
		if err := snap.DB().QueryRowContext(ctx, "SELECT min_x, max_x, min_y, max_y FROM gpkg_contents WHERE table_name = 'incidents'").
			Scan(&extent[0], &extent[1], &extent[2], &extent[3]); err != nil {
			t.Fatal(err)
		}
		if err := s.DB().QueryRowContext(ctx, "SELECT MIN(ST_MinX(geom)), MAX(ST_MaxX(geom)), MIN(ST_MinY(geom)), MAX(ST_MaxY(geom)) FROM incidents i WHERE "+c.where).
			Scan(&data[0], &data[1], &data[2], &data[3]); err != nil {
			t.Fatal(err)
		}
		if extent != data {
			t.Errorf("snapshot %d: layer extent %v, want the copied rows' %v", i, extent, data)
		}
		var rtreeCheck string
		if err := snap.DB().QueryRowContext(ctx, "SELECT rtreecheck('rtree_incidents_geom')").Scan(&rtreeCheck); err != nil || rtreeCheck != "ok" {
			t.Errorf("snapshot %d: rtreecheck: %q, %v", i, rtreeCheck, err)
		}
		var check string
		if err := snap.DB().QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
			t.Errorf("integrity_check: %q, %v", check, err)
		}
		snap.Close()
	}
}

// TestQueryDeadlineInterrupts: a query running past its context's deadline
// is interrupted inside SQLite and says so, rather than running to its end
// (the web layer's per-request deadline relies on it; issue 12 finding 4).
func TestQueryDeadlineInterrupts(t *testing.T) {
	s := openTemp(t)
	if _, err := s.Insert(context.Background(), synthetic(rand.New(rand.NewPCG(2, 2)), 10)); err != nil {
		t.Fatal(err)
	}
	// Minutes of work per row, unless interrupted.
	const slow = "(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000000) SELECT COUNT(*) FROM c) > 0"
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := store.QueryWhere(ctx, s, slow, func(*incident.Incident) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want one wrapping context.DeadlineExceeded", err)
	}
}
