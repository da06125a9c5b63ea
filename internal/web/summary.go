package web

import "net/http"

// areaRow is one row of /api/summary.
type areaRow struct {
	Country    string `json:"country"`
	Admin1     string `json:"admin1,omitempty"`
	Incidents  int64  `json:"incidents"`
	Fatalities int64  `json:"fatalities"`
}

// handleSummary is GET /api/summary?by=admin1|country&<incident filters>:
// incidents and fatalities per area for the filters (a map view's bbox
// among them), most incidents first: every country, or at most
// store.MaxAreaRows admin1 areas.
func (s *Server) handleSummary(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r, append(incidentFilterParams(), "by")...); err != nil {
		return err
	}
	by := r.URL.Query().Get("by")
	switch by {
	case "":
		by = "admin1"
	case "admin1", "country":
	default:
		return badParam("by", "must be admin1 or country, not %q", by)
	}
	q, err := parseIncidentFilters(r)
	if err != nil {
		return err
	}
	if fresh, err := s.checkETag(w, r); err != nil || fresh {
		return err
	}
	sum, err := s.store.SummarizeAreas(r.Context(), q, by == "admin1")
	if err != nil {
		return err
	}
	out := struct {
		By        string    `json:"by"`
		Areas     []areaRow `json:"areas"`
		Truncated int64     `json:"truncated"`
	}{By: by, Areas: make([]areaRow, 0, len(sum.Areas)), Truncated: sum.Truncated}
	for _, a := range sum.Areas {
		out.Areas = append(out.Areas, areaRow{Country: a.Country, Admin1: a.Admin1, Incidents: a.Incidents, Fatalities: a.Fatalities})
	}
	return writeJSON(w, r, http.StatusOK, "application/json", out)
}
