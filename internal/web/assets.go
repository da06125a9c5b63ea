package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"

	"github.com/gorilla/mux"

	webpage "github.com/incidentmap/incidentmap/web"
)

// PageConfig is what the map page needs from the server's configuration.
type PageConfig struct {
	// TileURL is an online tile layer offered as an option (off by default,
	// since the page must work offline), e.g.
	// "https://tile.openstreetmap.org/{z}/{x}/{y}.png". Empty means the
	// OpenStreetMap default.
	TileURL string
	// TileAttribution is shown with the tile layer.
	TileAttribution string
}

// Defaults for the optional online tile layer.
const (
	defaultTileURL         = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
	defaultTileAttribution = "© OpenStreetMap contributors"
)

// page serves the map page and its assets. Asset URLs carry a hash of all
// embedded files (/assets/<hash>/app.js), so browsers may cache them for a
// year and still see a new build at once; relative imports between the
// page's modules keep working because every file shares the one prefix.
type page struct {
	files     fs.FS
	version   string            // hash of every embedded file, the URL prefix
	etags     map[string]string // asset path -> strong ETag of its content
	index     []byte            // the rendered index.html
	indexETag string
	vendorOK  bool
}

// newPage renders the page in files (the embedded page directory) for cfg.
// It fails only if the template is broken, which the package's tests catch.
func newPage(files fs.FS, cfg PageConfig) (*page, error) {
	p := &page{files: files, etags: map[string]string{}}
	var names []string
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		names = append(names, name)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing embedded page: %w", err)
	}
	sort.Strings(names)
	all := sha256.New()
	for _, name := range names {
		data, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, fmt.Errorf("reading embedded %s: %w", name, err)
		}
		sum := sha256.Sum256(data)
		p.etags[name] = `"` + hex.EncodeToString(sum[:8]) + `"`
		fmt.Fprintf(all, "%s\x00%x\x00", name, sum)
	}
	p.version = hex.EncodeToString(all.Sum(nil))[:12]
	_, p.vendorOK = p.etags["vendor/ok.txt"]

	tmpl, err := template.ParseFS(files, "index.html")
	if err != nil {
		return nil, fmt.Errorf("parsing page template: %w", err)
	}
	if cfg.TileURL == "" {
		cfg.TileURL, cfg.TileAttribution = defaultTileURL, defaultTileAttribution
	}
	var buf bytes.Buffer
	// Every module of the page is announced up front, so the browser fetches
	// them at once instead of discovering the imports one level at a time.
	var modules []string
	for _, name := range names {
		if path.Ext(name) == ".js" && !strings.Contains(name, "/") {
			modules = append(modules, name)
		}
	}
	err = tmpl.Execute(&buf, struct {
		Assets, TileURL, TileAttribution string
		VendorOK                         bool
		Modules                          []string
	}{"/assets/" + p.version, cfg.TileURL, cfg.TileAttribution, p.vendorOK, modules})
	if err != nil {
		return nil, fmt.Errorf("rendering page template: %w", err)
	}
	p.index = buf.Bytes()
	sum := sha256.Sum256(p.index)
	p.indexETag = `"` + hex.EncodeToString(sum[:8]) + `"`
	return p, nil
}

// securityHeaders keeps data from articles from ever running as script:
// the page builds every text node with textContent, and the policy forbids
// inline scripts as a second line. Images may come from any https tile
// server the operator configured.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "+
		"img-src 'self' data: blob: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
}

// pageHandlers returns the handlers of the map page ("/") and of its assets
// ("/assets/{version}/{path}"), for routes.go.
func (s *Server) pageHandlers() (index, assets http.Handler) {
	// The template is embedded: it can only fail to render if it is broken,
	// which TestPage catches, so failing loudly at start-up is right.
	p, err := newPage(webpage.Page(), s.cfg.Page)
	if err != nil {
		panic(fmt.Sprintf("the embedded map page is broken: %v", err))
	}
	return s.handle(p.serveIndex), s.handle(p.serveAsset)
}

// serveIndex writes the map page. It is revalidated on every load (no-cache
// with an ETag), so a new build's asset URLs are picked up at once.
func (p *page) serveIndex(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	securityHeaders(h)
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", p.indexETag)
	h.Set("Content-Type", "text/html; charset=utf-8")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, p.indexETag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, err := w.Write(p.index)
		return err
	}
	return nil
}

// serveAsset writes /assets/{version}/{path}. The current version is cached
// for a year; an older version (a page loaded before a restart) still gets
// the current file, uncached, rather than a broken page.
func (p *page) serveAsset(w http.ResponseWriter, r *http.Request) error {
	version, name := mux.Vars(r)["version"], path.Clean(mux.Vars(r)["path"])
	etag, ok := p.etags[name]
	if !ok || name == "index.html" {
		if strings.HasPrefix(name, "vendor/") && !p.vendorOK {
			return notFound("%s is not in this build: run `npm ci && npm run assets`, then rebuild", name)
		}
		return notFound("no page asset %s", name)
	}
	h := w.Header()
	securityHeaders(h)
	if version == p.version {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	h.Set("ETag", etag)
	if strings.HasSuffix(name, ".js") || strings.HasSuffix(name, ".mjs") {
		h.Set("Content-Type", "text/javascript; charset=utf-8")
	}
	http.ServeFileFS(w, r, p.files, name)
	return nil
}
