package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/incidentmap/incidentmap/internal/keys"
)

// routes registers every URL of the service, so that the whole surface is
// visible in one place. Reads are open (but on a private server, see
// authenticate); writes need a writer key, key management an admin key.
func (s *Server) routes(r *mux.Router) {
	r.Handle("/healthz", s.handle(s.handleHealth)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/readyz", s.handle(s.handleReady)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/metrics", s.metrics.handler()).Methods(http.MethodGet, http.MethodHead)

	// Incidents: the GeoJSON API (docs/API.md).
	r.Handle("/api/incidents", s.handle(s.handleListIncidents)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/incidents", s.require(keys.Writer, "create", s.handle(s.handleCreateIncidents))).Methods(http.MethodPost)
	r.Handle("/api/incidents/{id}", s.handle(s.handleGetIncident)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/incidents/{id}", s.require(keys.Writer, "patch", s.handle(s.handlePatchIncident))).Methods(http.MethodPatch)
	r.Handle("/api/incidents/{id}", s.require(keys.Writer, "delete", s.handle(s.handleDeleteIncident))).Methods(http.MethodDelete)

	// The review queue (review.go): writers publish or reject what the
	// machine extracted; status= on /api/incidents lists the queue.
	r.Handle("/api/incidents/{id}/accept", s.require(keys.Writer, "accept", s.handle(s.handleAccept))).Methods(http.MethodPost)
	r.Handle("/api/incidents/{id}/reject", s.require(keys.Writer, "reject", s.handle(s.handleReject))).Methods(http.MethodPost)
	r.Handle("/api/incidents/{id}/merge", s.require(keys.Writer, "merge", s.handle(s.handleMerge))).Methods(http.MethodPost)
	r.Handle("/api/incidents/{id}/articles", s.require(keys.Writer, "", s.handle(s.handleIncidentArticles))).Methods(http.MethodGet, http.MethodHead)

	// The live map (events.go): Server-Sent Events of what changed.
	r.Handle("/api/events", s.handle(s.handleEvents)).Methods(http.MethodGet)

	// Accounts and the audit trail (accounts.go).
	r.Handle("/api/incidents/{id}/history", s.require(keys.Reader, "", s.handle(s.handleHistory))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/keys", s.require(keys.Admin, "", s.handle(s.handleListKeys))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/keys", s.require(keys.Admin, "", s.handle(s.handleAddKey))).Methods(http.MethodPost)
	r.Handle("/api/keys/{name}", s.require(keys.Admin, "", s.handle(s.handleRevokeKey))).Methods(http.MethodDelete)

	// Watched news feeds (feeds.go); the poller in serve reads them.
	r.Handle("/api/feeds", s.require(keys.Admin, "", s.handle(s.handleListFeeds))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/feeds", s.require(keys.Admin, "", s.handle(s.handleAddFeed))).Methods(http.MethodPost)
	r.Handle("/api/feeds", s.require(keys.Admin, "", s.handle(s.handleRemoveFeed))).Methods(http.MethodDelete)

	// The gazetteer (places.go) and map labels (labels.go); reverse and labels
	// before {id} so they are not taken for an id.
	r.Handle("/api/places", s.handle(s.handleSearchPlaces)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/places/reverse", s.handle(s.handleReversePlace)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/places/labels", s.handle(s.handlePlaceLabels)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/places/{id}", s.handle(s.handleGetPlace)).Methods(http.MethodGet, http.MethodHead)

	// Interchange (interchange.go): ACLED, UCDP, GeoJSON and CSV in; GeoJSON,
	// CSV, GeoPackage and KML out, with the filters of /api/incidents.
	r.Handle("/api/import", s.require(keys.Writer, "import", s.handle(s.handleImport))).Methods(http.MethodPost)
	r.Handle("/api/export", s.limit(s.exports, "exports", nil, s.handle(s.handleExport))).Methods(http.MethodGet, http.MethodHead)

	// Articles in, incidents out (articles.go); place mentions of a text (geoparse.go).
	r.Handle("/api/articles", s.require(keys.Writer, "ingest", s.handle(s.handleIngestArticles))).Methods(http.MethodPost)
	r.Handle("/api/geoparse", s.limit(s.expensive, "geoparse and filter requests", nil, s.handle(s.handleGeoparse))).Methods(http.MethodPost)

	// OGC API - Features, Part 1 and Part 3 (ogc*.go).
	r.Handle("/ogc", s.handle(s.handleOGCLanding)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/ogc/", s.handle(s.handleOGCLanding)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/ogc/conformance", s.handle(s.handleOGCConformance)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/ogc/api", s.handle(s.handleOGCAPI)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/ogc/collections", s.handle(s.handleOGCCollections)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/ogc/collections/{collectionId}", s.handle(s.handleOGCCollection)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/ogc/collections/{collectionId}/queryables", s.handle(s.handleOGCQueryables)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/ogc/collections/{collectionId}/schema", s.handle(s.handleOGCSchema)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/ogc/collections/{collectionId}/items", s.limit(s.expensive, "geoparse and filter requests", hasFilter, s.handle(s.handleOGCItems))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/ogc/collections/{collectionId}/items/{featureId}", s.handle(s.handleOGCItem)).Methods(http.MethodGet, http.MethodHead)

	// Vector tiles of the incidents (vectortiles.go), with the filters of
	// /api/incidents, for maps and GIS clients; their TileJSON description.
	r.Handle("/tiles/incidents.json", s.handle(s.handleIncidentTileJSON)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/tiles/incidents/{z}/{x}/{y}.mvt", s.handle(s.handleIncidentTile)).Methods(http.MethodGet, http.MethodHead)

	// The map page (assets.go), its server-side clusters (clusters.go) and area
	// summary (summary.go).
	r.Handle("/api/clusters", s.handle(s.handleClusters)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/summary", s.handle(s.handleSummary)).Methods(http.MethodGet, http.MethodHead)
	index, assets := s.pageHandlers()
	r.Handle("/", index).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/favicon.ico", s.handle(s.handleFavicon)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/assets/{version}/{path:.+}", assets).Methods(http.MethodGet, http.MethodHead)
}
