package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/internal/web"
)

// The operator's tile layer reaches the page, escaped, in place of the default.
func TestPageUsesConfiguredTileLayer(t *testing.T) {
	cfg := web.Config{Page: web.PageConfig{TileURL: "https://tiles.example.org/{z}/{x}/{y}.png", TileAttribution: "© Example & co"}}
	srv, _ := startServer(t, cfg, nil)
	res, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	body := string(b)
	if res.StatusCode != 200 || !strings.Contains(body, "tiles.example.org") || strings.Contains(body, "tile.openstreetmap.org") {
		t.Fatalf("status %d; the page does not carry the configured tile URL:\n%.2000s", res.StatusCode, body)
	}
	if !strings.Contains(body, "Example &amp; co") {
		t.Fatal("attribution missing or not escaped")
	}
}
