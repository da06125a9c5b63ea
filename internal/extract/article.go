package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// Article is one news report handed to the extractor.
type Article struct {
	Text      string
	URL       string
	Title     string
	Published string // YYYY-MM-DD, or "" when unknown
	// Country, when set, is the country the article's source reports on
	// (ISO 3166-1 alpha-2, such as a watched feed's --country). It stands
	// in for the country prior the extractor otherwise reads from the
	// words, so that a place name several countries share is read there.
	Country string
}

// MaxArticleBytes bounds one article's text. Real news reports are a few
// kilobytes; anything past this is a dump, not an article, and would hold a
// request for seconds.
const MaxArticleBytes = 1 << 20

// Named errors of the reader, matched with errors.Is.
var (
	// ErrEmpty: the input holds no text.
	ErrEmpty = errors.New("article text is empty")
	// ErrTooLarge: an article is larger than MaxArticleBytes.
	ErrTooLarge = errors.New("article is too large")
	// ErrBinary: the input is not UTF-8 text.
	ErrBinary = errors.New("article is not text")
)

// ReadOptions says how ReadArticles fills what the input leaves out.
type ReadOptions struct {
	// Published is the publication date (YYYY-MM-DD) for articles that carry
	// none, e.g. from a --published flag.
	Published string
	// Now is the reference for "a date in the future"; zero means time.Now.
	Now time.Time
}

// headerDate matches the optional first line "date YYYY-MM-DD": leading
// space, the word date, then a token starting with a digit (so that prose
// such as "Date palms burned" is not taken for a header).
var headerDate = regexp.MustCompile(`^\s*date[ \t]+([0-9]\S*)`)

// ReadArticles reads the articles in r: plain text whose first line may be
// "date YYYY-MM-DD", one JSON object {"text","url","title","published"}, a
// JSON array of them, or JSON lines. Errors name the bad field
// (articles[2].published) as *incident.FieldError, or wrap ErrEmpty,
// ErrTooLarge or ErrBinary.
func ReadArticles(r io.Reader, opt ReadOptions) ([]Article, error) {
	// Read one byte past the limit for a whole JSON-lines file of many
	// articles: the per-article limit is checked below.
	data, err := io.ReadAll(io.LimitReader(r, 64*MaxArticleBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading article: %w", err)
	}
	if len(data) > 64*MaxArticleBytes {
		return nil, fmt.Errorf("%w: input is larger than %d MiB", ErrTooLarge, 64*MaxArticleBytes>>20)
	}
	return ParseArticles(data, opt)
}

// ParseArticles is ReadArticles over bytes already in memory.
func ParseArticles(data []byte, opt ReadOptions) ([]Article, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Published != "" {
		if _, err := parsePublished(opt.Published, opt.Now); err != nil {
			return nil, incident.Errorf("published", "%v", err)
		}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("text: %w", ErrEmpty)
	}
	if trimmed[0] == '{' || trimmed[0] == '[' {
		return parseJSON(trimmed, opt)
	}
	a, err := parseText(data, opt)
	if err != nil {
		return nil, err
	}
	return []Article{a}, nil
}

// parseText reads a plain-text article with its optional date header.
func parseText(data []byte, opt ReadOptions) (Article, error) {
	if len(data) > MaxArticleBytes {
		return Article{}, fmt.Errorf("text: %w: %d bytes, the limit is %d", ErrTooLarge, len(data), MaxArticleBytes)
	}
	if err := checkText(data); err != nil {
		return Article{}, fmt.Errorf("text: %w", err)
	}
	a := Article{Text: string(data), Published: opt.Published}
	if err := a.takeHeader(opt.Now); err != nil {
		return Article{}, err
	}
	if strings.TrimSpace(a.Text) == "" {
		return Article{}, fmt.Errorf("text: %w (only a date header)", ErrEmpty)
	}
	return a, nil
}

// takeHeader moves a leading "date YYYY-MM-DD" from the text into
// Published. A header wins over a date given by flag: it travels with the
// text. The header is blanked with spaces, not cut, so that offsets into
// Text stay those of the input.
func (a *Article) takeHeader(now time.Time) error {
	m := headerDate.FindStringSubmatchIndex(a.Text)
	if m == nil {
		return nil
	}
	tok := a.Text[m[2]:m[3]]
	d, err := parsePublished(tok, now)
	if err != nil {
		return incident.Errorf("published", "header line %q: %v", strings.TrimSpace(a.Text[:m[1]]), err)
	}
	a.Published = d
	a.Text = strings.Repeat(" ", m[1]) + a.Text[m[1]:]
	return nil
}

// articleJSON is the JSON form of an article. "date" is accepted as an alias
// of "published" (the TR-News corpus uses it). Unknown members are ignored so
// that labelled corpora (with their gold answers) read as articles too.
type articleJSON struct {
	Text      *string `json:"text"`
	URL       string  `json:"url"`
	Title     string  `json:"title"`
	Published string  `json:"published"`
	Date      string  `json:"date"`
}

func parseJSON(data []byte, opt ReadOptions) ([]Article, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("body: %w: JSON must be UTF-8", ErrBinary)
	}
	var raws []json.RawMessage
	if data[0] == '[' {
		if err := json.Unmarshal(data, &raws); err != nil {
			return nil, incident.Errorf("body", "malformed JSON array of articles: %v", err)
		}
	} else {
		dec := json.NewDecoder(bytes.NewReader(data))
		for {
			var raw json.RawMessage
			err := dec.Decode(&raw)
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, incident.Errorf(articleField(len(raws), ""), "malformed JSON: %v", err)
			}
			raws = append(raws, raw)
		}
	}
	if len(raws) == 0 {
		return nil, fmt.Errorf("body: %w: no article", ErrEmpty)
	}
	out := make([]Article, 0, len(raws))
	for i, raw := range raws {
		field := func(name string) string {
			if len(raws) == 1 {
				return name
			}
			return articleField(i, name)
		}
		var aj articleJSON
		if err := json.Unmarshal(raw, &aj); err != nil {
			return nil, incident.Errorf(field("body"), "not an article object {text, url, title, published}: %v", err)
		}
		if aj.Text == nil {
			return nil, incident.Errorf(field("text"), "is required")
		}
		text := *aj.Text
		if len(text) > MaxArticleBytes {
			return nil, fmt.Errorf("%s: %w: %d bytes, the limit is %d", field("text"), ErrTooLarge, len(text), MaxArticleBytes)
		}
		if strings.TrimSpace(text) == "" {
			return nil, fmt.Errorf("%s: %w", field("text"), ErrEmpty)
		}
		if err := checkText([]byte(text)); err != nil {
			return nil, fmt.Errorf("%s: %w", field("text"), err)
		}
		a := Article{Text: text, URL: aj.URL, Title: aj.Title, Published: opt.Published}
		pub := aj.Published
		if pub == "" {
			pub = aj.Date
		}
		if pub != "" {
			d, err := parsePublished(pub, opt.Now)
			if err != nil {
				return nil, incident.Errorf(field("published"), "%v", err)
			}
			a.Published = d
		}
		if err := a.takeHeader(opt.Now); err != nil {
			var fe *incident.FieldError
			if errors.As(err, &fe) {
				return nil, incident.Errorf(field("text"), "%s", fe.Reason)
			}
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func articleField(i int, name string) string {
	if name == "" {
		return fmt.Sprintf("articles[%d]", i)
	}
	return fmt.Sprintf("articles[%d].%s", i, name)
}

// parsePublished accepts YYYY-MM-DD or an RFC 3339 timestamp and returns
// the date. A date more than a day after now (time zones) is refused: an
// article cannot report from the future, and every relative date would
// land there too.
func parsePublished(s string, now time.Time) (string, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(incident.DateLayout, s)
	if err != nil || len(s) != len(incident.DateLayout) {
		ts, err2 := time.Parse(time.RFC3339, s)
		if err2 != nil {
			return "", fmt.Errorf("must be a date YYYY-MM-DD, not %q", s)
		}
		t = ts.UTC()
	}
	if t.After(now.AddDate(0, 0, 1)) {
		return "", fmt.Errorf("%s is in the future", t.Format(incident.DateLayout))
	}
	if t.Year() < 1900 {
		return "", fmt.Errorf("%s is before 1900", t.Format(incident.DateLayout))
	}
	return t.Format(incident.DateLayout), nil
}

// checkText refuses data that is not UTF-8 text: invalid encodings, NUL
// bytes, or mostly control characters.
func checkText(data []byte) error {
	if !utf8.Valid(data) {
		return fmt.Errorf("%w: not valid UTF-8", ErrBinary)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return fmt.Errorf("%w: contains NUL bytes", ErrBinary)
	}
	control := 0
	for _, b := range data {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' {
			control++
		}
	}
	if control*20 > len(data) {
		return fmt.Errorf("%w: %d control characters", ErrBinary, control)
	}
	return nil
}
