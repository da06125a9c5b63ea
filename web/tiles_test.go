package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/web"
)

// The operator's tile layer reaches the page, escaped, in place of the default.
func TestPageUsesConfiguredTileLayer(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "tiles.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := web.Config{Page: web.PageConfig{TileURL: "https://tiles.example.org/{z}/{x}/{y}.png", TileAttribution: "© Example & co"}}
	h := web.New(cfg, st, nil, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "tiles.example.org") || strings.Contains(body, "tile.openstreetmap.org") {
		t.Fatalf("status %d; the page does not carry the configured tile URL:\n%.2000s", rec.Code, body)
	}
	if !strings.Contains(body, "Example &amp; co") {
		t.Fatal("attribution missing or not escaped")
	}
}
