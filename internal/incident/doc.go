// Package incident holds incidentmap's domain types: an incident with its
// place, dates, event type, actors, fatalities and sources, and the one place
// where an incident is validated. The vocabulary follows ACLED's column names
// (see docs in the README) so that analysts recognise every field.
package incident
