package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/interchange"
)

// maxImportBytes caps an import upload. Files beyond it are imported with
// the command line (incidentmap import), which has no limit.
const maxImportBytes = 256 << 20

// importResponse is the body of a successful POST /api/import: what was
// done and each rejected row with its reason.
type importResponse struct {
	Format string `json:"format"`
	interchange.Report
}

// handleImport answers POST /api/import?format=acled|ucdp|geojson|csv: the
// body is the file itself (or a multipart/form-data upload with one file),
// streamed through the importer in batches. The answer reports inserted,
// updated and rejected rows; an unusable file is a 400 naming the problem,
// and a body over the limit is a 413 saying how far the import got (the
// batches before it are kept, none is half-written).
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) error {
	return s.importBody(w, r, maxImportBytes)
}

func (s *Server) importBody(w http.ResponseWriter, r *http.Request, limit int64) error {
	if err := checkParams(r, "format", "sync", "dataset"); err != nil {
		return err
	}
	v := r.URL.Query()
	format := v.Get("format")
	if !slices.Contains(interchange.InputFormats(), format) {
		return badParam("format", "must be one of %s, not %q", strings.Join(interchange.InputFormats(), ", "), format)
	}
	sync := false
	if sv := v.Get("sync"); sv != "" {
		b, err := strconv.ParseBool(sv)
		if err != nil {
			return badParam("sync", "must be true or false, not %q", sv)
		}
		sync = b
	}
	if ds := v.Get("dataset"); ds != "" && format == interchange.FormatCSV {
		if err := interchange.CheckDataset(ds); err != nil {
			return badParam("dataset", "%s", strings.TrimPrefix(err.Error(), interchange.ErrInput.Error()+": "))
		}
	}
	var gaz *gazetteer.Gazetteer // nil on a server without one: rows go unchecked
	if pl, err := s.places(); err == nil {
		gaz = pl.gaz
	} else if s.cfg.GazetteerLoading {
		return err // rather than import without the country checks
	}
	if r.ContentLength > limit {
		return tooLarge(limit, nil)
	}
	body, err := uploadedFile(http.MaxBytesReader(w, r.Body, limit), r.Header.Get("Content-Type"))
	if err != nil {
		return err
	}
	src, err := interchange.NewReader(format, body, interchange.ReaderOptions{Gazetteer: gaz, Dataset: v.Get("dataset")})
	if err != nil {
		return importError(format, limit, err, nil)
	}
	im := interchange.NewImporter(s.store)
	im.Sync = sync
	rep, err := im.Import(r.Context(), src)
	if err != nil {
		return importError(format, limit, err, &rep)
	}
	return writeJSON(w, r, http.StatusOK, "application/json", importResponse{Format: format, Report: rep})
}

// uploadedFile returns the file in a request body: the body itself, or the
// first file part of a multipart/form-data upload (an HTML form).
func uploadedFile(body io.Reader, contentType string) (io.Reader, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" {
		return body, nil
	}
	mr := multipart.NewReader(body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, badField("body", "the multipart upload has no file part")
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, err
			}
			return nil, badField("body", "malformed multipart upload: %v", err)
		}
		if part.FileName() != "" {
			return part, nil
		}
	}
}

// importError turns an import failure into a problem: ErrInput (the file as
// a whole is unusable) is a 400, a body over the limit a 413; both say how
// many rows were imported before, when some were.
func importError(format string, limit int64, err error, rep *interchange.Report) error {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return tooLarge(limit, rep)
	case errors.Is(err, interchange.ErrInput):
		return badField("body", "%s%s", strings.TrimPrefix(err.Error(), interchange.ErrInput.Error()+": "), done(rep))
	}
	return fmt.Errorf("importing %s: %w", format, err)
}

func tooLarge(limit int64, rep *interchange.Report) error {
	return &problem{Type: "about:blank", Title: "Request body too large", Status: http.StatusRequestEntityTooLarge, Field: "body",
		Detail: fmt.Sprintf("uploads are limited to %d MB: import larger files with the incidentmap import command%s", limit>>20, done(rep))}
}

// done says what an interrupted import had written, "" when nothing.
func done(rep *interchange.Report) string {
	if rep == nil || rep.Inserted+rep.Updated == 0 {
		return ""
	}
	return fmt.Sprintf(" (before stopping, %d rows were read and %d inserted, %d updated, in whole batches)", rep.Read, rep.Inserted, rep.Updated)
}

// handleExport answers GET /api/export?format=geojson|csv|gpkg|kml with the
// filters of /api/incidents: the whole selection, streamed (a GeoPackage is
// a snapshot copied from a temporary file), as a download.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r, append(incidentFilterParams(), "format")...); err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	ct, ok := interchange.ContentType(format)
	if !ok {
		return badParam("format", "must be one of %s, not %q", strings.Join(interchange.OutputFormats(), ", "), format)
	}
	q, err := parseIncidentFilters(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="incidents`+interchange.Extension(format)+`"`)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = interchange.Export(r.Context(), s.store, q, format, newStallWriter(w, s.cfg.Limits.StallTimeout), s.cfg.Limits.TempDir)
	return err
}
