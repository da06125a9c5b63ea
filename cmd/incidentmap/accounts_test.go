package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/internal/keys"
	"github.com/incidentmap/incidentmap/internal/store"
)

// TestKeysAuditBackupCommands runs keys add/list/revoke, an import, audit
// and backup as a user would.
func TestKeysAuditBackupCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.gpkg")
	ctx := context.Background()
	t.Setenv("USER", "tester")
	run := func(f func(context.Context, []string, io.Writer, io.Writer) error, args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := f(ctx, args, &out, &errOut); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errOut.String())
		}
		return out.String()
	}
	out := run(runKeys, "add", "field-team", "--db", db, "--role", "writer")
	if !strings.Contains(out, "imk_") {
		t.Fatalf("keys add: %s", out)
	}
	secret := strings.Fields(out[strings.Index(out, "imk_"):])[0]
	if out := run(runKeys, "list", "--db", db); !strings.Contains(out, "field-team") || !strings.Contains(out, "writer") || strings.Contains(out, secret) {
		t.Errorf("keys list:\n%s", out)
	}
	run(runKeys, "revoke", "--db", db, "field-team")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.New(st, "").Authenticate(ctx, secret); !errors.Is(err, keys.ErrRevoked) {
		t.Errorf("after keys revoke: %v", err)
	}
	st.Close()

	geo := filepath.Join(dir, "in.geojson")
	os.WriteFile(geo, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[64.7,32.4]},
		"properties":{"event_date":"2020-01-02","event_type":"Battles","location":"Musa Qala"}}]}`), 0o644)
	run(runImport, "--db", db, "--format", "geojson", "--no-gazetteer", geo)
	audit := run(runAudit, "--db", db)
	if !strings.Contains(audit, "cli:tester") || !strings.Contains(audit, "import") || !strings.Contains(audit, "insert") {
		t.Errorf("audit:\n%s", audit)
	}

	backup := filepath.Join(dir, "backup.gpkg")
	run(runBackup, "--db", db, "-o", backup)
	bst, err := store.Open(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	defer bst.Close()
	if n, err := bst.Count(ctx, store.Query{}); err != nil || n != 1 {
		t.Errorf("the backup holds %d incidents (%v)", n, err)
	}
	if list, err := keys.New(bst, "").List(ctx); err != nil || len(list) != 1 {
		t.Errorf("the backup's keys: %v, %v", list, err)
	}
}

// TestShortTokenRefused is finding 12 of issue 12: a guessable
// INCIDENTMAP_TOKEN (it is an admin key) stops the server from starting.
func TestShortTokenRefused(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, tok := range []string{"x", "fifteen-chars!!"} {
		t.Setenv("INCIDENTMAP_TOKEN", tok)
		if _, err := writeToken(context.Background(), st, io.Discard); err == nil || !strings.Contains(err.Error(), "at least 16") {
			t.Errorf("INCIDENTMAP_TOKEN=%q: %v", tok, err)
		}
	}
	t.Setenv("INCIDENTMAP_TOKEN", "sixteen-chars-ok")
	if got, err := writeToken(context.Background(), st, io.Discard); err != nil || got != "sixteen-chars-ok" {
		t.Errorf("a 16-character token: %q, %v", got, err)
	}
}
