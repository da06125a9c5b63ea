package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/internal/interchange"
	"github.com/incidentmap/incidentmap/internal/store"
)

// TestImportLimitMidStream streams a body with no Content-Length past a small
// limit: the answer is 413 saying how far the import got, and the store
// holds exactly the whole batches written before the limit.
func TestImportLimitMidStream(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "limit.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := New(Config{Token: "t"}, st, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var b strings.Builder
	b.WriteString("event_id_cnty,event_date,event_type,country,latitude,longitude,fatalities\n")
	for i := 0; b.Len() < 2_000_000; i++ {
		fmt.Fprintf(&b, "E%d,2020-03-01,Battles,Afghanistan,32.45,64.74,%d\n", i, i%7)
	}
	const limit = 1_000_000
	h := s.handle(func(w http.ResponseWriter, r *http.Request) error { return s.importBody(w, r, limit) })
	req := httptest.NewRequest("POST", "/api/import?format=acled", io.MultiReader(strings.NewReader(b.String()))) // no length
	req.ContentLength = -1
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var p problem
	json.Unmarshal(rec.Body.Bytes(), &p)
	n, _ := st.Count(context.Background(), store.Query{})
	if n%interchange.DefaultBatchSize != 0 || n == 0 || !strings.Contains(p.Detail, fmt.Sprintf("%d inserted", n)) {
		t.Errorf("store holds %d incidents (want whole batches of %d), problem says %q", n, interchange.DefaultBatchSize, p.Detail)
	}
}
