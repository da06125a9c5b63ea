package incident

import (
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// ACLED event types, spelled as ACLED spells them.
const (
	Battles                  = "Battles"
	ExplosionsRemoteViolence = "Explosions/Remote violence"
	ViolenceAgainstCivilians = "Violence against civilians"
	Protests                 = "Protests"
	Riots                    = "Riots"
	StrategicDevelopments    = "Strategic developments"
)

// SubEventTypes lists ACLED's sub-event types for each event type.
func SubEventTypes() map[string][]string {
	m := make(map[string][]string, len(EventTypes()))
	for _, t := range EventTypes() {
		m[t] = subEventTypesOf(t)
	}
	return m
}

// subEventTypesOf lists ACLED's sub-event types of event type t, nil for a
// type ACLED does not have: Validate asks it of every incident, without
// building SubEventTypes' map each time.
func subEventTypesOf(t string) []string {
	switch t {
	case Battles:
		return []string{"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}
	case ExplosionsRemoteViolence:
		return []string{"Chemical weapon", "Air/drone strike", "Suicide bomb",
			"Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"}
	case ViolenceAgainstCivilians:
		return []string{"Sexual violence", "Attack", "Abduction/forced disappearance"}
	case Protests:
		return []string{"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}
	case Riots:
		return []string{"Violent demonstration", "Mob violence"}
	case StrategicDevelopments:
		return []string{"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
			"Headquarters or base established", "Looting/property destruction",
			"Non-violent transfer of territory", "Other"}
	}
	return nil
}

// EventTypes lists ACLED's six event types in ACLED's order.
func EventTypes() []string {
	return []string{Battles, ExplosionsRemoteViolence, ViolenceAgainstCivilians, Protests, Riots, StrategicDevelopments}
}

// Date precisions.
const (
	PrecisionDay   = "day"
	PrecisionWeek  = "week"
	PrecisionMonth = "month"
	PrecisionYear  = "year"
)

// Geo precisions, as ACLED codes them (with 4 added for a country-level location).
const (
	GeoTown     = 1 // the named town itself
	GeoDistrict = 2 // near a town, or a district / small part of a region
	GeoRegion   = 3 // only a province or region is known
	GeoCountry  = 4 // only the country is known
)

// DateLayout is the layout of every date field (ISO 8601 calendar date).
const DateLayout = "2006-01-02"

// Incident is one event: something that happened at a place over one or more
// days. Optional numbers are pointers so that "unknown" (nil) differs from 0.
type Incident struct {
	ID                 string
	EventDate          string // YYYY-MM-DD, the first day
	EventEndDate       string // YYYY-MM-DD or "", the last day when it spans several
	DatePrecision      string // day | week | month | year
	EventType          string
	SubEventType       string
	Actor1             string
	Actor2             string
	AssocActor1        string
	AssocActor2        string
	Inter1             string // ACLED actor type code of actor1 ("1", "State forces"), one per actor, "; "-separated
	Inter2             string // the same for actor2
	Fatalities         *int
	CivilianFatalities *int
	Injured            *int
	Location           string
	Admin1             string
	Admin2             string
	Country            string // ISO 3166-1 alpha-2
	Geometry           orb.Geometry
	GeoPrecision       int
	PlaceID            string // gazetteer id, e.g. "geonames:1132604"
	Notes              string
	Tags               []string
	Confidence         *float64
	Sources            []Source
	SourceEventID      string // id in the dataset it was imported from
	Created            time.Time
	Updated            time.Time
	// Status is the review status (StatusPublished when empty). It is not
	// a GeoJSON property: writers change it by accepting or rejecting.
	Status string
}

// SampleTag marks the sample incidents a new store starts with, so that
// nobody mistakes them for real events: the map counts them apart, and
// ingestion never merges a real report into one.
const SampleTag = "sample"

// IsSample reports whether in is a sample incident.
func (in *Incident) IsSample() bool { return slices.Contains(in.Tags, SampleTag) }

// Review statuses: what readers see is published; the machine's incidents
// wait unreviewed for a writer, who publishes or rejects them.
const (
	StatusPublished  = "published"
	StatusUnreviewed = "unreviewed"
	StatusRejected   = "rejected"
)

// Statuses lists the review statuses.
func Statuses() []string { return []string{StatusUnreviewed, StatusPublished, StatusRejected} }

// Published reports whether readers without a writer key may see in.
func (in *Incident) Published() bool { return in.Status == "" || in.Status == StatusPublished }

// Source is a report an incident was taken from.
type Source struct {
	URL       string `json:"url,omitempty"`
	Title     string `json:"title,omitempty"`
	Publisher string `json:"publisher,omitempty"`
	Published string `json:"published,omitempty"` // YYYY-MM-DD
	Evidence  string `json:"evidence,omitempty"`  // the sentence the facts came from
}

// AddSources appends the sources in does not list yet: a report is listed
// when a source has its URL (in any case), or, for reports without a URL,
// its evidence. Reports of one incident found again are merged this way.
func (in *Incident) AddSources(srcs ...Source) {
	for _, s := range srcs {
		if !slices.ContainsFunc(in.Sources, func(have Source) bool {
			return s.URL != "" && strings.EqualFold(s.URL, have.URL) || s.URL == "" && s.Evidence == have.Evidence
		}) {
			in.Sources = append(in.Sources, s)
		}
	}
}

// EndDate returns the last day of the incident: EventEndDate, or EventDate
// when the incident lasted one day.
func (in *Incident) EndDate() string {
	if in.EventEndDate != "" {
		return in.EventEndDate
	}
	return in.EventDate
}

// Point returns a representative point of the incident's geometry: the point
// itself, or the centre of its bound for other geometries.
func (in *Incident) Point() orb.Point {
	if p, ok := in.Geometry.(orb.Point); ok {
		return p
	}
	if in.Geometry == nil {
		return orb.Point{}
	}
	return in.Geometry.Bound().Center()
}

// Int returns a pointer to v, for the optional counts.
func Int(v int) *int { return &v }

// Float returns a pointer to v, for Confidence.
func Float(v float64) *float64 { return &v }
