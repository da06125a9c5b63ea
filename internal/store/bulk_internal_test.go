package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestBulkRulesCoverSchema: every insert trigger on incidents that the
// migrations create has a bulk form, so a large Insert runs none of them
// per row; a trigger no rule knows is left to run per row.
func TestBulkRulesCoverSchema(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "rules.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.reader.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'incidents' AND sql LIKE '%AFTER INSERT%'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			t.Fatal(err)
		}
		n++
		stmt, ok := bulkStatement(create)
		if !ok {
			t.Errorf("insert trigger %s has no bulk form:\n%s", name, create)
			continue
		}
		if !strings.Contains(stmt, "NEW.fid > ?") {
			t.Errorf("bulk form of %s does not select the new rows: %s", name, stmt)
		}
	}
	if n < 3 {
		t.Errorf("%d insert triggers on incidents, want the R*Tree, audit and feature count ones", n)
	}
	for _, create := range []string{
		"CREATE TRIGGER t AFTER INSERT ON incidents BEGIN UPDATE c SET n = m + 1 WHERE k = 1; END",
		"CREATE TRIGGER t AFTER INSERT ON incidents BEGIN UPDATE c SET n = n + 1 WHERE k = NEW.fid; END",
		"CREATE TRIGGER t AFTER INSERT ON incidents BEGIN DELETE FROM c; END",
		"CREATE TRIGGER t BEFORE INSERT ON incidents BEGIN INSERT INTO c VALUES (NEW.fid); END",
		"CREATE TRIGGER t AFTER INSERT ON incidents BEGIN INSERT INTO c VALUES (1); INSERT INTO d VALUES (2); END",
	} {
		if stmt, ok := bulkStatement(create); ok {
			t.Errorf("%s\nhas a bulk form %q, want none (it must run per row)", create, stmt)
		}
	}
}
