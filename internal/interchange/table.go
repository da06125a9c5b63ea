package interchange

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// RowError is one rejected record: where it is and what is wrong with it.
// The import goes on with the next record.
type RowError struct {
	// Row is the line where the record starts (the header is line 1), or
	// for GeoJSON the feature's position in the collection (from 1).
	Row int `json:"row"`
	// Column is the column (CSV header name) or member path (GeoJSON) at
	// fault, "" when the record as a whole is.
	Column string `json:"column,omitempty"`
	// Reason says what is wrong, for people.
	Reason string `json:"reason"`
}

func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("row %d: %s", e.Row, e.Reason)
	}
	return fmt.Sprintf("row %d: %s: %s", e.Row, e.Column, e.Reason)
}

// ErrInput is matched (errors.Is) by errors that end an import because the
// input as a whole is unusable: no header, a required column missing, an
// unknown format.
var ErrInput = errors.New("unusable input")

// inputError returns an error matching ErrInput.
func inputError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInput, fmt.Sprintf(format, args...))
}

// table reads a delimited text file with a header line. It strips a UTF-8
// byte order mark, detects the delimiter (comma, semicolon or tab) from the
// header line, accepts CRLF line ends and tolerates quotes inside unquoted
// fields (He said "no" → He said "no"), which spreadsheets write.
type table struct {
	r      *csv.Reader
	lim    *recordLimiter
	header []string       // as written
	index  map[string]int // normalised header name → column
	delim  rune
	line   int // line where the current record starts
}

func newTable(r io.Reader) (*table, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	head, _ := br.Peek(64 << 10)
	delim := sniffDelimiter(head)
	lim := &recordLimiter{r: br, limit: maxRecordBytes}
	cr := csv.NewReader(lim)
	cr.Comma = delim
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, inputError("the file is empty: expected a header line")
	}
	if err != nil {
		return nil, inputError("reading the header line: %v", err)
	}
	t := &table{r: cr, lim: lim, header: append([]string(nil), header...), index: map[string]int{}, delim: delim, line: 1}
	for i, h := range t.header {
		k := normHeader(h)
		if _, dup := t.index[k]; !dup && k != "" {
			t.index[k] = i
		}
	}
	return t, nil
}

// sniffDelimiter picks the delimiter occurring most often outside quotes in
// the first line; comma when none does.
func sniffDelimiter(b []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, c := range b {
		if c == '"' {
			quoted = !quoted
		}
		if quoted {
			continue
		}
		if c == '\n' {
			break
		}
		if c == ',' || c == ';' || c == '\t' || c == '|' {
			counts[c]++
		}
	}
	best, n := byte(','), 0
	for _, c := range []byte{',', ';', '\t', '|'} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	return rune(best)
}

// normHeader folds a header name: "EVENT_DATE", "Event Date" and
// " event_date " all become "event_date".
func normHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.Trim(h, `"'`)
	return strings.Join(strings.FieldsFunc(h, func(r rune) bool { return r == ' ' || r == '-' || r == '_' }), "_")
}

// col returns the index of the first of names present in the header, or -1.
func (t *table) col(names ...string) int {
	for _, n := range names {
		if i, ok := t.index[n]; ok {
			return i
		}
	}
	return -1
}

// delimName names the delimiter for messages.
func (t *table) delimName() string {
	switch t.delim {
	case '\t':
		return "tab"
	case ';':
		return "semicolon"
	case '|':
		return "pipe"
	}
	return "comma"
}

// next returns the next record (valid until the following call), io.EOF at
// the end, or a *RowError for a record that cannot be read as a row of this
// table. The record has exactly as many fields as the header.
func (t *table) next() ([]string, error) {
	t.lim.limit = t.r.InputOffset() + maxRecordBytes
	rec, err := t.r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		if errors.Is(err, errRecordTooLarge) {
			line, _ := t.r.FieldPos(0)
			return nil, inputError("the record after line %d is over %d MiB: no incident is that large; stopped reading", line, maxRecordBytes>>20)
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			t.line = pe.StartLine
			return nil, &RowError{Row: pe.StartLine, Reason: fmt.Sprintf("malformed CSV: %v", pe.Err)}
		}
		return nil, fmt.Errorf("reading CSV: %w", err)
	}
	t.line, _ = t.r.FieldPos(0)
	if len(rec) != len(t.header) {
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			return t.next() // blank line
		}
		return nil, &RowError{Row: t.line, Reason: fmt.Sprintf("has %d fields but the header has %d (%s-delimited)", len(rec), len(t.header), t.delimName())}
	}
	return rec, nil
}

// maxRecordBytes bounds one record of a delimited file, and so the memory
// one row may take: the largest incident (20,000 characters of notes and
// short fields) is well under it.
const maxRecordBytes = 1 << 20

var errRecordTooLarge = errors.New("record too large")

// recordLimiter hands the CSV reader no more than limit bytes in all; the
// table moves the limit on by maxRecordBytes before each record, so a
// record can only outgrow it by holding that much. The slack for the CSV
// reader's read-ahead buffer (4 KiB) is within the bound.
type recordLimiter struct {
	r     io.Reader
	read  int64 // bytes handed on so far
	limit int64
}

func (l *recordLimiter) Read(p []byte) (int, error) {
	room := l.limit + 64<<10 - l.read
	if room <= 0 {
		return 0, errRecordTooLarge
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}
