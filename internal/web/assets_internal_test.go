package web

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	webpage "github.com/incidentmap/incidentmap/web"
)

// TestPageWithoutVendor renders the page from a copy of the embedded files
// without vendor/, as a fresh clone builds it before `npm run assets`.
func TestPageWithoutVendor(t *testing.T) {
	embedded := webpage.Page()
	bare := fstest.MapFS{}
	err := fs.WalkDir(embedded, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(name, "vendor/") {
			return err
		}
		data, err := fs.ReadFile(embedded, name)
		bare[name] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		files    fs.FS
		vendorOK bool
	}{
		{"without vendor files", bare, false},
		{"with vendor files", withFile(bare, "vendor/ok.txt"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := newPage(tc.files, PageConfig{TileURL: "https://tiles.example.org/{z}/{x}/{y}.png", TileAttribution: "© Example <Tiles>"})
			if err != nil {
				t.Fatal(err)
			}
			html := string(p.index)
			says := strings.Contains(html, "npm ci &amp;&amp; npm run assets")
			loads := strings.Contains(html, "/vendor/leaflet/leaflet.js")
			if p.vendorOK != tc.vendorOK || says == tc.vendorOK || loads != tc.vendorOK {
				t.Errorf("vendorOK=%v, tells what to run=%v, loads Leaflet=%v", p.vendorOK, says, loads)
			}
			if !strings.Contains(html, `data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"`) ||
				!strings.Contains(html, `data-tile-attribution="© Example &lt;Tiles&gt;"`) {
				t.Errorf("tile settings not passed to the page intact:\n%s", html)
			}
		})
	}
}

func withFile(m fstest.MapFS, name string) fstest.MapFS {
	out := fstest.MapFS{name: &fstest.MapFile{Data: []byte("ok\n")}}
	for k, v := range m {
		out[k] = v
	}
	return out
}
