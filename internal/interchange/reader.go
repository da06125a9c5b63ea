package interchange

import (
	"io"
	"regexp"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/incident"
)

// Input formats.
const (
	FormatACLED   = "acled"
	FormatUCDP    = "ucdp"
	FormatGeoJSON = "geojson"
	FormatCSV     = "csv"
)

// InputFormats lists the formats NewReader reads.
func InputFormats() []string { return []string{FormatACLED, FormatUCDP, FormatGeoJSON, FormatCSV} }

// Reader yields the incidents of one input, one record at a time.
type Reader interface {
	// Next fills in with the next record. It returns io.EOF after the
	// last one, a *RowError for a record it rejects (call Next again for
	// the following one), and any other error when the input cannot be
	// read further.
	Next(in *incident.Incident) error
	// Dataset is the prefix of the source event ids the reader mints
	// ("acled" for "acled:…"), "" when it keeps the ids it reads.
	Dataset() string
}

// ReaderOptions configure NewReader.
type ReaderOptions struct {
	// Gazetteer geocodes a plain CSV's place-name column and checks that
	// points lie in the country a row names. nil disables both.
	Gazetteer *gazetteer.Gazetteer
	// Dataset prefixes the ids of a plain CSV file ("csv" by default), so
	// that two files' rows never collide and --sync removes only one file's.
	Dataset string
}

var datasetName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// CheckDataset says whether name may prefix the ids of plain CSV rows
// (ReaderOptions.Dataset): the error matches ErrInput. Callers check it
// before reading a file, to blame the name rather than the file.
func CheckDataset(name string) error {
	if !datasetName.MatchString(name) || name == "acled" || name == "ucdp" {
		return inputError("dataset %q must be lower-case letters, digits, - or _ (at most 32), and not acled or ucdp", name)
	}
	return nil
}

// NewReader returns a Reader for format over r. It reads the header (or
// the start of the GeoJSON object) and fails with an error matching ErrInput
// when the columns the format needs are missing.
func NewReader(format string, r io.Reader, opt ReaderOptions) (Reader, error) {
	p := places{gaz: opt.Gazetteer}
	switch format {
	case FormatACLED:
		return newCSVReader(r, "acled", false, p)
	case FormatUCDP:
		return newUCDPReader(r, p)
	case FormatGeoJSON:
		return newGeoJSONReader(r)
	case FormatCSV:
		ds := opt.Dataset
		if ds == "" {
			ds = "csv"
		}
		if err := CheckDataset(ds); err != nil {
			return nil, err
		}
		return newCSVReader(r, ds, true, p)
	}
	return nil, inputError("unknown format %q (want acled, ucdp, geojson or csv)", format)
}
