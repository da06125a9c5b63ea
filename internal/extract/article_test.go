package extract

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/incidentmap/incidentmap/internal/incident"
)

var readNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func TestParseArticles(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		opt       ReadOptions
		want      []Article // Text compared after TrimSpace
		wantField string    // a *incident.FieldError on this field
		wantErr   error     // or this named error
	}{
		{name: "plain text", in: "Gunmen attacked a market.", want: []Article{{Text: "Gunmen attacked a market."}}},
		{name: "header", in: "date 2024-05-20\nGunmen attacked a market.",
			want: []Article{{Text: "Gunmen attacked a market.", Published: "2024-05-20"}}},
		{name: "header after spaces on the same line", in: "  date 2024-05-20 Gunmen attacked a market.",
			want: []Article{{Text: "Gunmen attacked a market.", Published: "2024-05-20"}}},
		{name: "flag date used without header", in: "Gunmen attacked a market.", opt: ReadOptions{Published: "2024-05-01"},
			want: []Article{{Text: "Gunmen attacked a market.", Published: "2024-05-01"}}},
		{name: "header wins over flag", in: "date 2024-05-20\nText.", opt: ReadOptions{Published: "2024-05-01"},
			want: []Article{{Text: "Text.", Published: "2024-05-20"}}},
		{name: "prose starting with date is not a header", in: "Date palms burned in the raid.",
			want: []Article{{Text: "Date palms burned in the raid."}}},
		{name: "json", in: `{"text":"A blast hit the town.","url":"https://example.org/a","title":"Blast","published":"2024-05-02"}`,
			want: []Article{{Text: "A blast hit the town.", URL: "https://example.org/a", Title: "Blast", Published: "2024-05-02"}}},
		{name: "json timestamp", in: `{"text":"A blast.","published":"2024-05-02T10:00:00Z"}`,
			want: []Article{{Text: "A blast.", Published: "2024-05-02"}}},
		{name: "json lines", in: "{\"text\":\"One.\"}\n{\"text\":\"Two.\",\"date\":\"2024-01-03\"}\n",
			want: []Article{{Text: "One."}, {Text: "Two.", Published: "2024-01-03"}}},
		{name: "json array", in: `[{"text":"One."},{"text":"Two."}]`, want: []Article{{Text: "One."}, {Text: "Two."}}},
		{name: "json with header in text", in: `{"text":" date 2024-02-02 Shelling hit the port."}`,
			want: []Article{{Text: "Shelling hit the port.", Published: "2024-02-02"}}},
		{name: "empty", in: " \n\t ", wantErr: ErrEmpty},
		{name: "only a header", in: "date 2024-01-01\n", wantErr: ErrEmpty},
		{name: "binary", in: "\x00\x01\x02\xff\xfe", wantErr: ErrBinary},
		{name: "control characters", in: strings.Repeat("\x01\x02a", 50), wantErr: ErrBinary},
		{name: "too large", in: strings.Repeat("word ", 5<<20/5), wantErr: ErrTooLarge},
		{name: "future header", in: "date 2030-01-01\nText.", wantField: "published"},
		{name: "malformed header", in: "date 2024-13-45\nText.", wantField: "published"},
		{name: "future flag", in: "Text.", opt: ReadOptions{Published: "2031-01-01"}, wantField: "published"},
		{name: "json missing text", in: `{"url":"x"}`, wantField: "text"},
		{name: "json bad date", in: `{"text":"x","published":"yesterday"}`, wantField: "published"},
		{name: "json lines bad second", in: "{\"text\":\"ok\"}\n{\"text\":\"x\",\"published\":\"no\"}", wantField: "articles[1].published"},
		{name: "malformed json", in: `{"text": "unterminated`, wantField: "articles[0]"},
		{name: "json empty text", in: `{"text":"  "}`, wantErr: ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.Now = readNow
			got, err := ParseArticles([]byte(tt.in), tt.opt)
			switch {
			case tt.wantField != "":
				var fe *incident.FieldError
				if !errors.As(err, &fe) || fe.Field != tt.wantField {
					t.Fatalf("err = %v, want a field error on %q", err, tt.wantField)
				}
				return
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			case err != nil:
				t.Fatalf("unexpected error: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d articles, want %d", len(got), len(tt.want))
			}
			for i := range got {
				g := got[i]
				g.Text = strings.TrimSpace(g.Text)
				if g != tt.want[i] {
					t.Errorf("article %d = %+v, want %+v", i, g, tt.want[i])
				}
			}
		})
	}
}

// The header is blanked, not cut, so that offsets of mentions are those of
// the text the user sent.
func TestHeaderKeepsOffsets(t *testing.T) {
	in := "date 2024-05-20\nGunmen attacked Kano."
	got, err := ParseArticles([]byte(in), ReadOptions{Now: readNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(got[0].Text) != len(in) || strings.Index(got[0].Text, "Kano") != strings.Index(in, "Kano") {
		t.Errorf("offsets moved: %q", got[0].Text)
	}
}

func TestReadArticlesLimit(t *testing.T) {
	big := bytes.Repeat([]byte("a"), 64*MaxArticleBytes+10)
	if _, err := ReadArticles(bytes.NewReader(big), ReadOptions{Now: readNow}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

// FuzzParseArticles: the reader never panics, every error it returns is a
// field error or a named one, and what it accepts is UTF-8 text with a
// valid, non-future date.
func FuzzParseArticles(f *testing.F) {
	for _, s := range []string{
		"date 2024-05-20\nGunmen attacked a market.", `{"text":"x","published":"2024-01-01"}`,
		"{\"text\":\"a\"}\n{\"text\":\"b\"}", `[{"text":"x"}]`, " date 2019-10-08 The leader", "date 9999-99-99", "\x00", "{", "[", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		arts, err := ParseArticles(data, ReadOptions{Now: readNow})
		if err != nil {
			if arts != nil {
				t.Fatalf("articles %v returned with error %v", arts, err)
			}
			// Every refusal is one the API can name: a field, or one of
			// the reader's named errors.
			var fe *incident.FieldError
			if !errors.As(err, &fe) && !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrBinary) {
				t.Fatalf("unnamed error %v", err)
			}
			return
		}
		if len(arts) == 0 {
			t.Fatal("no articles and no error")
		}
		for _, a := range arts {
			if strings.TrimSpace(a.Text) == "" {
				t.Fatal("accepted an empty article")
			}
			if a.Published != "" {
				d, err := time.Parse(incident.DateLayout, a.Published)
				if err != nil || d.After(readNow.AddDate(0, 0, 1)) {
					t.Fatalf("accepted published %q", a.Published)
				}
			}
		}
	})
}
