package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"codeberg.org/readeck/go-readability/v2"
)

// ErrNotArticle means an item's link is not an HTML page with readable
// text: a binary, a PDF, an empty page.
var ErrNotArticle = errors.New("not an article page")

// pageAccept is the Accept header of an article page request.
const pageAccept = "text/html, application/xhtml+xml;q=0.9"

// pageText fetches the page at pageURL, within the Fetcher's bounds, and
// returns its main text (readability's reading of it), as plain text.
func (p *Poller) pageText(ctx context.Context, pageURL string) (string, error) {
	resp, err := p.fetch.Fetch(ctx, pageURL, pageAccept, Validators{})
	if err != nil {
		return "", err
	}
	if err := checkHTML(resp); err != nil {
		return "", fmt.Errorf("page %s: %w", pageURL, err)
	}
	base, err := url.Parse(resp.URL)
	if err != nil {
		return "", fmt.Errorf("page %s: %w", pageURL, err)
	}
	art, err := readability.FromReader(bytes.NewReader(resp.Body), base)
	if err != nil || art.Node == nil {
		return "", fmt.Errorf("page %s: %w: no main text found", pageURL, ErrNotArticle)
	}
	var b strings.Builder
	if err := art.RenderText(&b); err != nil {
		return "", fmt.Errorf("page %s: %w: %v", pageURL, ErrNotArticle, err)
	}
	text := foldSpace(b.String())
	if text == "" {
		return "", fmt.Errorf("page %s: %w: the main text is empty", pageURL, ErrNotArticle)
	}
	return text, nil
}

// checkHTML refuses a page that says, or whose bytes show, it is not HTML.
func checkHTML(resp Response) error {
	declared, _, _ := mime.ParseMediaType(resp.ContentType)
	if declared != "" && declared != "text/html" && declared != "application/xhtml+xml" {
		return fmt.Errorf("%w: the server says it is %s", ErrNotArticle, declared)
	}
	if sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(resp.Body)); sniffed != "text/html" && sniffed != "text/plain" {
		return fmt.Errorf("%w: its bytes are %s", ErrNotArticle, sniffed)
	}
	return nil
}
