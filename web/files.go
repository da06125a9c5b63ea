// Package web holds the map page — its HTML, CSS and JavaScript in page/,
// the vendor assets that build/assets.mjs copies in, and the browser tests
// in e2e/ — and embeds the page's files for the HTTP service
// (internal/web), so that one binary serves the page offline.
package web

import (
	"embed"
	"fmt"
	"io/fs"
)

// pageFiles holds the map page: our own HTML, CSS and JavaScript, and the
// vendor/ directory that `npm run assets` fills (only its README is
// committed, so a fresh clone builds without npm).
//
//go:embed page
var pageFiles embed.FS

// Page returns the map page's files, rooted at the page directory
// (index.html, app.js, vendor/...).
func Page() fs.FS {
	files, err := fs.Sub(pageFiles, "page")
	if err != nil {
		// fs.Sub fails only on an invalid path name; "page" is valid.
		panic(fmt.Sprintf("the embedded map page: %v", err))
	}
	return files
}
