package store

import (
	"errors"
	"testing"
)

// Cursors come from clients (?cursor=): any text gives a position or an
// error wrapping ErrCursor, never a panic; and a cursor the store wrote
// reads back to the same position.
func FuzzDecodeCursor(f *testing.F) {
	half := 0.5
	for _, q := range []Query{{Desc: true}, {}, {Order: ByConfidence, Desc: true}, {Order: ByConfidence}} {
		f.Add(PageCursor(q, "2021-03-04", &half, 42), int(q.Order), q.Desc)
	}
	f.Add("", 0, false)
	f.Add("bm90IGEgY3Vyc29y", 1, true)
	f.Add("ZHw5OTk5LTk5LTk5fDE", 0, true)
	f.Fuzz(func(t *testing.T, text string, order int, desc bool) {
		q := Query{Cursor: text, Order: Order(order % 2), Desc: desc}
		if order < 0 {
			q.Order = ByEventDate
		}
		key, seq, err := DecodeCursor(q)
		if err != nil {
			if !errors.Is(err, ErrCursor) {
				t.Fatalf("%q: error %v does not wrap ErrCursor", text, err)
			}
			return
		}
		var conf *float64
		date, _ := key.(string)
		if c, ok := key.(float64); ok {
			conf = &c
		}
		again := PageCursor(q, date, conf, seq)
		q2 := q
		q2.Cursor = again
		key2, seq2, err := DecodeCursor(q2)
		if err != nil || key2 != key || seq2 != seq {
			t.Fatalf("%q reads as (%v, %d); written again as %q it reads as (%v, %d, %v)", text, key, seq, again, key2, seq2, err)
		}
	})
}
