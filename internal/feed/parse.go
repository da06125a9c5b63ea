package feed

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
)

// Named errors of reading a feed, matched with errors.Is.
var (
	// ErrNotFeed means the document is not RSS, Atom or JSON Feed: an
	// HTML page, say, where the feed used to be.
	ErrNotFeed = errors.New("not a feed")
	// ErrMalformed means a feed document that does not parse.
	ErrMalformed = errors.New("malformed feed")
)

// Item is one entry of a feed, as an article to read.
type Item struct {
	GUID      string
	URL       string
	Title     string
	Text      string    // the item's content, else its summary, as plain text
	Summary   bool      // Text is only the summary: the article is at URL
	Published time.Time // zero when the feed gives no date
}

// Parsed is a feed document read.
type Parsed struct {
	Title string
	Items []Item // oldest first
}

// Parse reads an RSS, Atom or JSON Feed document.
func Parse(doc []byte) (Parsed, error) {
	if looksLikeHTML(doc) {
		return Parsed{}, fmt.Errorf("%w: the document is an HTML page", ErrNotFeed)
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(doc))
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return Parsed{}, fmt.Errorf("%w: neither RSS, Atom nor JSON Feed", ErrNotFeed)
	}
	if err != nil {
		return Parsed{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	// gofeed takes any JSON object for a JSON Feed; a real one names its
	// version by the spec's URL.
	if f.FeedType == "json" && !strings.Contains(f.FeedVersion, "jsonfeed.org/version/") {
		return Parsed{}, fmt.Errorf("%w: JSON without a JSON Feed version", ErrNotFeed)
	}
	out := Parsed{Title: strings.TrimSpace(f.Title)}
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		item := Item{GUID: strings.TrimSpace(it.GUID), URL: strings.TrimSpace(it.Link), Title: plainText(it.Title)}
		item.Text = plainText(it.Content)
		if item.Text == "" {
			item.Text, item.Summary = plainText(it.Description), true
		}
		switch {
		case it.PublishedParsed != nil:
			item.Published = it.PublishedParsed.UTC()
		case it.UpdatedParsed != nil:
			item.Published = it.UpdatedParsed.UTC()
		}
		if item.GUID == "" {
			item.GUID = item.URL
		}
		out.Items = append(out.Items, item)
	}
	// Feeds list newest first, mostly; ingest oldest first, so that the
	// last item recorded is the newest. Items without a date keep their
	// place after the dated ones.
	slices.Reverse(out.Items)
	slices.SortStableFunc(out.Items, func(a, b Item) int {
		switch {
		case a.Published.IsZero() || b.Published.IsZero():
			return 0
		default:
			return a.Published.Compare(b.Published)
		}
	})
	return out, nil
}

// looksLikeHTML reports whether doc starts as an HTML page does.
func looksLikeHTML(doc []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(bytes.TrimPrefix(doc[:min(len(doc), 512)], []byte("\xef\xbb\xbf"))))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html"))
}

// blockTags end a line of text: paragraphs stay apart, so sentences do
// not run into each other.
var blockTags = map[string]bool{"p": true, "br": true, "div": true, "li": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "blockquote": true, "tr": true, "section": true, "article": true}

// skippedTags hold no reader-visible text.
var skippedTags = map[string]bool{"script": true, "style": true, "noscript": true, "template": true}

// plainText returns the text of an HTML fragment (or of plain text, which
// reads as itself), with block elements as line breaks and runs of
// spaces folded.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return foldSpace(s)
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return foldSpace(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			if skippedTags[string(name)] {
				skip++
			}
			if blockTags[string(name)] {
				b.WriteByte('\n')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if skippedTags[string(name)] && skip > 0 {
				skip--
			}
			if blockTags[string(name)] {
				b.WriteByte('\n')
			}
		}
	}
}

// foldSpace trims each line, folds its runs of spaces, and drops empty
// lines.
func foldSpace(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}
