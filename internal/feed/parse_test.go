package feed_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/incidentmap/incidentmap/internal/feed"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestParse: each feed format gives its items oldest first, as plain
// text, with content preferred to the summary, and bad documents a named
// error.
func TestParse(t *testing.T) {
	tests := []struct {
		file      string
		title     string
		urls      []string
		summary   []bool
		firstText string
		firstDate string
		err       error
	}{
		{file: "rss.xml", title: "Helmand Desk (test fixture)",
			urls:      []string{"http://news.test/2025/03/musa-qala", "http://news.test/2025/03/checkpoint"},
			summary:   []bool{true, false},
			firstText: "A roadside bomb killed two civilians in Musa Qala district on Monday, officials said.",
			firstDate: "2025-03-11T07:30:00Z"},
		{file: "atom.xml", title: "Sahel Wire (test fixture)", urls: []string{"http://sahel.test/7"}, summary: []bool{true},
			firstText: "Fighting between the army and militants near Gao left five soldiers dead on Tuesday, the army said.",
			firstDate: "2025-04-02T10:00:00Z"},
		{file: "feed.json", title: "Lake Chad Monitor (test fixture)", urls: []string{"http://lakechad.test/42"}, summary: []bool{false},
			firstText: "Insurgents attacked Monguno in Borno state on Sunday, killing four villagers, residents said.",
			firstDate: "2025-05-04T06:00:00Z"},
		{file: "page.html", err: feed.ErrNotFeed},
		{file: "malformed.xml", err: feed.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := feed.Parse(fixture(t, tt.file))
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("error %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != tt.title || len(got.Items) != len(tt.urls) {
				t.Fatalf("title %q, %d items; want %q, %d", got.Title, len(got.Items), tt.title, len(tt.urls))
			}
			for i, it := range got.Items {
				if it.URL != tt.urls[i] || it.Summary != tt.summary[i] {
					t.Errorf("item %d: %s summary %v, want %s %v", i, it.URL, it.Summary, tt.urls[i], tt.summary[i])
				}
			}
			first := got.Items[0]
			if first.Text != tt.firstText || first.Published.Format(time.RFC3339) != tt.firstDate {
				t.Errorf("first item: %q at %s", first.Text, first.Published.Format(time.RFC3339))
			}
		})
	}
	rss, _ := feed.Parse(fixture(t, "rss.xml"))
	if text := rss.Items[1].Text; strings.Contains(text, "track()") || strings.Contains(text, "<p>") {
		t.Errorf("markup or script kept in the text: %q", text)
	}
	for _, doc := range []string{"", "{}", `{"version":"x"}`, "plain words", "<html><body>hi</body></html>"} {
		if _, err := feed.Parse([]byte(doc)); !errors.Is(err, feed.ErrNotFeed) && !errors.Is(err, feed.ErrMalformed) {
			t.Errorf("Parse(%q): %v, want a named error", doc, err)
		}
	}
}

// FuzzParse: no document makes Parse panic, and every item it returns
// has text free of markup delimiters it was given as tags.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"rss.xml", "atom.xml", "feed.json", "page.html", "malformed.xml"} {
		f.Add(fixture(f, name))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		got, err := feed.Parse(doc)
		if err != nil {
			if !errors.Is(err, feed.ErrNotFeed) && !errors.Is(err, feed.ErrMalformed) {
				t.Fatalf("unnamed error %v", err)
			}
			return
		}
		for _, it := range got.Items {
			if strings.Contains(it.Text, "\n\n") {
				t.Fatalf("empty line kept in %q", it.Text)
			}
		}
	})
}
