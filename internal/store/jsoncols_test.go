package store

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// The fast parsers must agree with encoding/json whenever they accept.
func FuzzDecodeSources(f *testing.F) {
	for _, s := range []string{
		`[{"url":"https://e.org/?a=1&b=2","published":"2019-10-08","evidence":"He \"was\" killed.\nThen\u00e9 \ud83d\ude00"}]`,
		`[]`, `[{}]`, `[{"title":"a"},{"publisher":"b"}]`, `[{"url":null}]`, `[{"x":"y"}]`, `["a"]`, `[{"url":"\ud800"}]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, ok := fastSources(s); ok {
			var want []incident.Source
			if err := json.Unmarshal([]byte(s), &want); err != nil {
				t.Fatalf("fast parser accepted %q, encoding/json refuses: %v", s, err)
			}
			if len(want) == 0 && len(got) == 0 {
				return
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: fast %#v, encoding/json %#v", s, got, want)
			}
		}
		decodeSources(s) // the fallback must not panic either
	})
}

func FuzzDecodeTags(f *testing.F) {
	for _, s := range []string{`["a","b\"c","\u2028"]`, `[]`, ` [ "x" ] `, `[1]`, `["\u00"]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, ok := fastStrings(s); ok {
			var want []string
			if err := json.Unmarshal([]byte(s), &want); err != nil {
				t.Fatalf("fast parser accepted %q, encoding/json refuses: %v", s, err)
			}
			if len(want) == 0 && len(got) == 0 {
				return
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: fast %#v, encoding/json %#v", s, got, want)
			}
		}
	})
}

func TestDecodeSourcesFallback(t *testing.T) {
	// Shapes another tool might write: the fallback still reads them.
	got, err := decodeSources(`[{"url":"u","extra":1,"evidence":null}]`)
	if err != nil || len(got) != 1 || got[0].URL != "u" {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := decodeSources(`[{`); err == nil {
		t.Fatal("malformed JSON accepted")
	}
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2026-01-02T03:04:05.006Z", "2026-13-02T03:04:05.006Z", "2026-02-30T03:04:05.006Z", "2019-10-08T12:00:00Z", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := parseTimestamp(s)
		want, err := time.Parse(time.RFC3339Nano, s)
		if err == nil && !got.Equal(want) {
			t.Fatalf("%q: fast %v, time.Parse %v", s, got, want)
		}
	})
}
