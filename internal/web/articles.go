package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/ingest"
)

// articleBodyLimit bounds POST /api/articles and /api/geoparse bodies: one
// article of extract.MaxArticleBytes plus JSON framing.
const articleBodyLimit = extract.MaxArticleBytes + 64<<10

// articleFeature is an incident of an ingested article; "status" (a
// foreign member, allowed by RFC 7946) says whether this article created
// it ("new"), added itself as a source of a stored one ("merged"), or had
// been ingested before ("existing").
type articleFeature struct {
	incident.Feature
	Status ingest.Status `json:"status"`
	// Explanation (a foreign member too) says where in the text the place
	// was read and which rules decided place, date and type.
	Explanation *extract.Explanation `json:"explanation,omitempty"`
}

// articleSummary says what became of one article.
type articleSummary struct {
	Key       string `json:"key"`
	Duplicate bool   `json:"duplicate"`
	Incidents int    `json:"incidents"`
	Reason    string `json:"reason,omitempty"`
}

type articleResponse struct {
	Type     string           `json:"type"`
	Features []articleFeature `json:"features"`
	Articles []articleSummary `json:"articles"`
	DryRun   bool             `json:"dry_run,omitempty"` // nothing was stored
}

// handleIngestArticles answers POST /api/articles: plain text (optional
// first line "date YYYY-MM-DD"), a JSON article {text, url, title,
// published}, or JSON lines of them. The answer is the articles'
// incidents as a FeatureCollection, each marked new, merged or existing;
// 201 when something was created. ?published=YYYY-MM-DD supplies the date
// for articles that carry none. ?dry_run=true extracts and answers what
// would be stored, writing nothing: writers preview before they save.
func (s *Server) handleIngestArticles(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r, "published", "dry_run"); err != nil {
		return err
	}
	var dryRun bool
	switch r.URL.Query().Get("dry_run") {
	case "", "false":
	case "true":
		dryRun = true
	default:
		return badParam("dry_run", "must be true or false")
	}
	pl, err := s.places()
	if err != nil {
		return err
	}
	arts, err := readArticles(w, r, r.URL.Query().Get("published"))
	if err != nil {
		return err
	}
	ing, err := s.ingester(r.Context(), pl.ex)
	if err != nil {
		return err
	}
	resp := articleResponse{Type: "FeatureCollection", Features: []articleFeature{}, DryRun: dryRun}
	status := http.StatusOK
	for _, a := range arts {
		do := ing.Ingest
		if dryRun {
			do = ing.Preview
		}
		res, err := do(r.Context(), a)
		if err != nil {
			return err
		}
		if !dryRun {
			s.metrics.countIngest(res)
		}
		resp.Articles = append(resp.Articles, articleSummary{Key: res.Key, Duplicate: res.Duplicate, Incidents: len(res.Items), Reason: res.Reason})
		for _, it := range res.Items {
			if it.Status == ingest.StatusNew && !dryRun {
				status = http.StatusCreated
			}
			resp.Features = append(resp.Features, articleFeature{Feature: it.Incident.ToFeature(), Status: it.Status, Explanation: it.Explanation})
		}
	}
	return writeJSON(w, r, status, geoJSONType, resp)
}

// readArticles reads a request body of articles, turning the reader's
// errors into problems naming the field.
func readArticles(w http.ResponseWriter, r *http.Request, published string) ([]extract.Article, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, articleBodyLimit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &problem{Type: "about:blank", Title: "Request body too large", Status: http.StatusRequestEntityTooLarge,
				Detail: fmt.Sprintf("an article may have at most %d MiB of text", extract.MaxArticleBytes>>20), Field: "text"}
		}
		return nil, fmt.Errorf("reading the articles of the request: %w", err)
	}
	arts, err := extract.ParseArticles(body, extract.ReadOptions{Published: published})
	switch {
	case err == nil:
		return arts, nil
	case errors.Is(err, extract.ErrTooLarge):
		return nil, &problem{Type: "about:blank", Title: "Request body too large", Status: http.StatusRequestEntityTooLarge,
			Detail: err.Error(), Field: "text"}
	case errors.Is(err, extract.ErrEmpty), errors.Is(err, extract.ErrBinary):
		return nil, badField("text", "%v", err)
	}
	var fe *incident.FieldError
	if errors.As(err, &fe) && fe.Field == "published" && published != "" {
		return nil, badParam("published", "%s", fe.Reason)
	}
	return nil, err
}
