package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sqlVocabulary is what only a store may use: imports of database drivers,
// the store's database handles, and the CQL2 translation into SQL.
var (
	sqlImports   = []string{"database/sql", "modernc.org/sqlite", "github.com/jackc/pgx"}
	sqlSelectors = map[string][]string{
		"github.com/incidentmap/incidentmap/internal/cql2": {"ToSQL", "Column", "Dialect"},
	}
	sqlMethods = []string{"DB", "ReadDB"} // a store's *sql.DB
	// sqlText matches SQL in a string literal: a statement's keywords, or a
	// column of the incidents table by its alias ("i.event_type", "i.").
	sqlText = regexp.MustCompile(`(?i)\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s.+\sSET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX))\b|(^|[^a-z])i\.([a-z_]{2,}|$)`)
)

// TestHTTPLayerKnowsNoSQL: the HTTP package speaks filters (store.Query,
// parsed CQL2) and leaves SQL — drivers, connections, tables, columns and
// the translation of filters — to the store (issue 14, item 2). It reads
// the package's own source, so it fails on the first file that breaks the
// rule, naming the place.
func TestHTTPLayerKnowsNoSQL(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, msg := range sqlUses(fset, f) {
			t.Error(msg)
		}
	}
	if checked == 0 {
		t.Fatal("no source file checked")
	}
}

// sqlUses lists the places in f that use the SQL vocabulary.
func sqlUses(fset *token.FileSet, f *ast.File) []string {
	var out []string
	imported := map[string]string{} // local name → path
	for _, im := range f.Imports {
		path, _ := strconv.Unquote(im.Path.Value)
		for _, p := range sqlImports {
			if path == p || strings.HasPrefix(path, p+"/") {
				out = append(out, fset.Position(im.Pos()).String()+": imports "+path)
			}
		}
		local := path[strings.LastIndex(path, "/")+1:]
		if im.Name != nil {
			local = im.Name.Name
		}
		imported[local] = path
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok {
				for _, sel := range sqlSelectors[imported[x.Name]] {
					if n.Sel.Name == sel {
						out = append(out, fset.Position(n.Pos()).String()+": uses "+x.Name+"."+sel)
					}
				}
			}
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && len(n.Args) == 0 {
				for _, m := range sqlMethods {
					if sel.Sel.Name == m {
						out = append(out, fset.Position(n.Pos()).String()+": calls ."+m+"(), a store's database handle")
					}
				}
			}
		case *ast.BasicLit:
			if s, err := strconv.Unquote(n.Value); err == nil && n.Kind == token.STRING && sqlText.MatchString(s) {
				out = append(out, fset.Position(n.Pos()).String()+": SQL in a string: "+n.Value)
			}
		}
		return true
	})
	return out
}

// TestSQLUsesCatches: the rule's checker finds each kind of use.
func TestSQLUsesCatches(t *testing.T) {
	tests := []struct{ src, want string }{
		{`import "database/sql"`, "imports database/sql"},
		{`import "github.com/incidentmap/incidentmap/internal/cql2"
var _ = cql2.ToSQL`, "uses cql2.ToSQL"},
		{`import q "github.com/incidentmap/incidentmap/internal/cql2"
var _ q.Column`, "uses q.Column"},
		{`func f(s interface{ DB() any }) { s.DB() }`, "calls .DB()"},
		{`var _ = "i." + "event_type"`, "SQL in a string"},
		{`var _ = "SELECT id FROM incidents"`, "SQL in a string"},
		{`var _ = "i.event_type = ?"`, "SQL in a string"},
		{`import "github.com/incidentmap/incidentmap/internal/cql2"
var _ cql2.Queryable
var _ = "the incidents, i.e. events"`, ""},
	}
	for _, tt := range tests {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "x.go", "package x\n"+tt.src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(sqlUses(fset, f), "\n")
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s\ngot  %q\nwant %q", tt.src, got, tt.want)
		}
	}
}
