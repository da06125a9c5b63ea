package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/incidentmap/incidentmap/internal/interchange"
)

// reportFile streams the --report file: a JSON array with one object per
// imported file, whose "rejections" are written as they happen, however
// many, and whose counts and reasons follow them.
type reportFile struct {
	f     *os.File
	w     *bufio.Writer
	files int
	rows  int
}

func createReport(path string) (*reportFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating the report: %w", err)
	}
	r := &reportFile{f: f, w: bufio.NewWriter(f)}
	r.w.WriteString("[\n")
	return r, nil
}

// begin opens the object of one imported file.
func (r *reportFile) begin(name string) error {
	if r.files > 0 {
		r.w.WriteString(",\n")
	}
	r.files++
	r.rows = 0
	n, err := json.Marshal(name)
	if err != nil {
		return err
	}
	fmt.Fprintf(r.w, `{"file":%s,"rejections":[`, n)
	return nil
}

// reject writes one rejected row.
func (r *reportFile) reject(e interchange.RowError) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if r.rows > 0 {
		r.w.WriteByte(',')
	}
	r.rows++
	r.w.WriteString("\n  ")
	_, err = r.w.Write(b)
	return err
}

// end closes the file's object with its counts and reasons.
func (r *reportFile) end(rep interchange.Report) error {
	b, err := json.Marshal(rep)
	if err != nil {
		return fmt.Errorf("encoding the report: %w", err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return fmt.Errorf("encoding the report: %w", err)
	}
	delete(fields, "rejections") // written above, all of them
	if b, err = json.Marshal(fields); err != nil {
		return fmt.Errorf("encoding the report: %w", err)
	}
	r.w.WriteString("\n],")
	_, err = r.w.Write(b[1:]) // the counts, after the rejections in the same object
	return err
}

// close ends the array and the file.
func (r *reportFile) close() error {
	r.w.WriteString("\n]\n")
	err := r.w.Flush()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}

// printReasons lists the rejections per kind of reason.
func printReasons(w io.Writer, rep interchange.Report) {
	if len(rep.Reasons) == 0 {
		return
	}
	fmt.Fprintln(w, "  rejected rows by reason:")
	for _, rc := range rep.Reasons {
		fmt.Fprintf(w, "  %8d  %s (first on row %d)\n", rc.Rows, rc.Reason, rc.FirstRow)
	}
}
