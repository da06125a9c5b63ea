// Package ingest turns articles into stored incidents: it runs extraction,
// merges an incident that is already stored (reported by another article)
// into the stored one as a further source, and remembers which articles it
// has seen so that ingesting the same article twice creates nothing new.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// Merge thresholds: two reports describe the same incident when their
// places are at most MergeKm apart, their dates at most MergeDays apart,
// and their event types agree.
const (
	MergeKm   = 25.0
	MergeDays = 1
)

// Status says what ingesting did with one incident.
type Status string

// Statuses of an ingested incident.
const (
	StatusNew      Status = "new"      // created by this article
	StatusMerged   Status = "merged"   // already stored from another article; this article added as a source
	StatusExisting Status = "existing" // this article was ingested before; nothing changed
)

// Item is one incident of an ingested article, as stored.
type Item struct {
	Incident incident.Incident
	Status   Status
	// Explanation says how the extractor read the incident (nil for an
	// article ingested before).
	Explanation *extract.Explanation
}

// Result is what ingesting one article did.
type Result struct {
	Key       string // the article's identity: a hash of its normalised text
	Duplicate bool   // the article had been ingested before
	Items     []Item
	// Reason says why no incident came out, for people ("no place named").
	Reason string
}

// Ingester persists the incidents of articles. Create one with New.
type Ingester struct {
	st store.Backend
	ex *extract.Extractor
	// writeMu makes looking up what is stored and writing one step, so
	// that concurrent calls do not both find an article, or an incident
	// two articles report, new. It holds within one process only; the
	// store's article key holds across processes (Ingest).
	writeMu sync.Mutex
}

// New returns an Ingester over st, which remembers the ingested articles.
func New(st store.Backend, ex *extract.Extractor) *Ingester {
	return &Ingester{st: st, ex: ex}
}

// Key returns an article's identity: the SHA-256 of its text with case,
// punctuation and spacing folded, so that a re-sent copy with other line
// breaks is the same article.
func Key(text string) string {
	h := sha256.New()
	space := false
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space {
				h.Write([]byte{' '})
				space = false
			}
			h.Write(utf8.AppendRune(nil, unicode.ToLower(r)))
		default:
			space = true
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Ingest extracts the incidents of a and stores them. An article seen
// before (same normalised text, or same URL) returns its stored incidents
// marked StatusExisting and changes nothing. A new incident that matches a
// stored one (MergeKm, MergeDays, same event type) gets the article added
// to its sources instead of being stored twice.
//
// Ingest is safe for concurrent use: the same article, or two reports of
// one incident, sent at once are stored once. Extraction runs in parallel;
// looking up what is stored and writing are done one article at a time.
// Across programs sharing a store (the command-line ingest beside a
// running serve), the store keeps one article per key: the incidents and
// the article's record are written in one transaction, which finds the
// key taken when another program won the race, and the article is then
// answered as ingested before.
func (g *Ingester) Ingest(ctx context.Context, a extract.Article) (Result, error) {
	key, ex, dup, err := g.read(ctx, a)
	if err != nil || dup.Duplicate {
		return dup, err
	}
	g.writeMu.Lock()
	defer g.writeMu.Unlock()
	// Another call may have stored the article while this one extracted.
	if dup, err := g.duplicate(ctx, key, a.URL); err != nil || dup.Duplicate {
		return dup, err
	}
	p, err := g.match(ctx, key, ex)
	if err != nil {
		return Result{}, err
	}
	res := p.res
	// The text is kept for reviewers, who read the evidence where it stands.
	rec := store.Article{Key: key, URL: a.URL, Title: a.Title, Published: a.Published, Reason: res.Reason,
		Created: time.Now().UTC(), Text: a.Text}
	stored, updated, err := g.st.IngestArticle(ctx, rec, p.fresh, p.merged)
	if errors.Is(err, store.ErrArticleExists) {
		// Another program on the same store (ingest beside serve)
		// recorded it meanwhile, and nothing of this call was written.
		return g.duplicate(ctx, key, a.URL)
	}
	if err != nil {
		return Result{}, fmt.Errorf("ingest: storing %d new and %d merged incidents: %w", len(p.fresh), len(p.merged), err)
	}
	for i, in := range stored {
		res.Items = append(res.Items, Item{Incident: in, Status: StatusNew, Explanation: p.freshWhy[i]})
	}
	for i, in := range updated {
		res.Items = append(res.Items, Item{Incident: in, Status: StatusMerged, Explanation: p.mergedWhy[i]})
	}
	return res, nil
}

// Preview answers what Ingest would do with a, writing nothing: incidents
// that would be created come without an id and marked StatusNew; stored
// ones the article would join come with the article added to their
// sources, marked StatusMerged.
func (g *Ingester) Preview(ctx context.Context, a extract.Article) (Result, error) {
	key, ex, dup, err := g.read(ctx, a)
	if err != nil || dup.Duplicate {
		return dup, err
	}
	p, err := g.match(ctx, key, ex)
	if err != nil {
		return Result{}, err
	}
	res := p.res
	for i, in := range p.fresh {
		res.Items = append(res.Items, Item{Incident: in, Status: StatusNew, Explanation: p.freshWhy[i]})
	}
	for i, in := range p.merged {
		res.Items = append(res.Items, Item{Incident: in, Status: StatusMerged, Explanation: p.mergedWhy[i]})
	}
	return res, nil
}

// plan is what ingesting an article amounts to, before anything is written.
type plan struct {
	res    Result              // Key and Reason; Items are added by the caller
	fresh  []incident.Incident // to insert
	merged []incident.Incident // stored incidents with the article's sources added
	// How the extractor read each, in the same order.
	freshWhy, mergedWhy []*extract.Explanation
}

// read returns a's key and what the extractor finds in it, unless a was
// ingested before: then dup, marked Duplicate, is what ingesting it did.
func (g *Ingester) read(ctx context.Context, a extract.Article) (key string, ex extract.Result, dup Result, err error) {
	key = Key(a.Text)
	if dup, err = g.duplicate(ctx, key, a.URL); err != nil || dup.Duplicate {
		return key, ex, dup, err
	}
	ex, err = g.extract(a)
	return key, ex, dup, err
}

// duplicate returns, for an article ingested before (by key, then URL),
// its stored incidents marked StatusExisting, the result marked
// Duplicate; for a new article a result that is not.
func (g *Ingester) duplicate(ctx context.Context, key, url string) (Result, error) {
	ids, reason, found, err := g.seen(ctx, key, url)
	if err != nil || !found {
		return Result{}, err
	}
	res := Result{Key: key, Duplicate: true, Reason: reason}
	for _, id := range ids {
		in, err := g.st.Get(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue // deleted by a user since: not re-created
		}
		if err != nil {
			return Result{}, fmt.Errorf("ingest: reading incident %s: %w", id, err)
		}
		res.Items = append(res.Items, Item{Incident: in, Status: StatusExisting})
	}
	if len(res.Items) == 0 && res.Reason == "" {
		res.Reason = "article ingested before; its incidents have been deleted since"
	}
	return res, nil
}

// extract runs the extractor on a and validates what it found.
func (g *Ingester) extract(a extract.Article) (extract.Result, error) {
	ex, err := g.ex.Extract(a)
	if err != nil {
		return extract.Result{}, fmt.Errorf("ingest: extracting: %w", err)
	}
	for _, in := range ex.Incidents {
		if err := in.Validate(); err != nil {
			return extract.Result{}, fmt.Errorf("ingest: extracted incident is invalid: %w", err)
		}
	}
	return ex, nil
}

// match sorts the extracted incidents into new ones and stored ones the
// article reports again.
func (g *Ingester) match(ctx context.Context, key string, ex extract.Result) (plan, error) {
	p := plan{res: Result{Key: key, Reason: ex.Reason}}
	for i, in := range ex.Incidents {
		var why *extract.Explanation
		if i < len(ex.Explanations) {
			why = &ex.Explanations[i]
		}
		same, ok, err := g.findSame(ctx, &in)
		if err != nil {
			return plan{}, err
		}
		if !ok {
			// What the machine found waits for a writer's review.
			in.Status = incident.StatusUnreviewed
			p.fresh = append(p.fresh, in)
			p.freshWhy = append(p.freshWhy, why)
			continue
		}
		same.AddSources(in.Sources...)
		p.merged = append(p.merged, same)
		p.mergedWhy = append(p.mergedWhy, why)
	}
	return p, nil
}

// seen looks an article up by key, then by URL.
// SeenURL reports whether an article from url was ingested before, so
// that a caller can skip fetching it again (a feed item's page).
func (g *Ingester) SeenURL(ctx context.Context, url string) (bool, error) {
	if url == "" {
		return false, nil
	}
	seen, err := g.st.ArticleSeen(ctx, url)
	if err != nil {
		return false, fmt.Errorf("ingest: %w", err)
	}
	return seen, nil
}

func (g *Ingester) seen(ctx context.Context, key, url string) ([]string, string, bool, error) {
	a, found, err := g.st.FindArticle(ctx, key, url)
	if err != nil {
		return nil, "", false, fmt.Errorf("ingest: %w", err)
	}
	return a.IncidentIDs, a.Reason, found, nil
}

// findSame returns a stored incident that in duplicates: same event type,
// dates within MergeDays, points within MergeKm.
func (g *Ingester) findSame(ctx context.Context, in *incident.Incident) (incident.Incident, bool, error) {
	p := in.Point()
	start, end, err := widen(in.EventDate, in.EndDate(), MergeDays)
	if err != nil {
		return incident.Incident{}, false, err
	}
	box := boxAround(p, MergeKm)
	q := store.Query{BBox: &box, Start: start, End: end, Limit: 50}
	if in.EventType != "" {
		q.EventTypes = []string{in.EventType}
	}
	var best incident.Incident
	bestKm := math.Inf(1)
	_, err = g.st.Query(ctx, q, func(c *incident.Incident) error {
		// Sample incidents are invented: a real report never joins one.
		if c.EventType != in.EventType || c.IsSample() {
			return nil
		}
		km := orbgeo.DistanceHaversine(p, c.Point()) / 1000
		if km <= MergeKm && km < bestKm {
			bestKm = km
			best = *c
			best.Sources = append([]incident.Source(nil), c.Sources...)
			best.Tags = append([]string(nil), c.Tags...)
		}
		return nil
	})
	if err != nil {
		return incident.Incident{}, false, fmt.Errorf("ingest: looking for the same incident: %w", err)
	}
	return best, !math.IsInf(bestKm, 1), nil
}

func widen(start, end string, days int) (string, string, error) {
	s, err := time.Parse(incident.DateLayout, start)
	if err != nil {
		return "", "", fmt.Errorf("ingest: event_date %q: %w", start, err)
	}
	e, err := time.Parse(incident.DateLayout, end)
	if err != nil {
		return "", "", fmt.Errorf("ingest: event_end_date %q: %w", end, err)
	}
	return s.AddDate(0, 0, -days).Format(incident.DateLayout), e.AddDate(0, 0, days).Format(incident.DateLayout), nil
}

// boxAround returns a bbox of radius km around p (clamped at the poles).
func boxAround(p orb.Point, km float64) geo.BBox {
	dLat := km / 111.0
	cos := math.Cos(p[1] * math.Pi / 180)
	dLon := 180.0
	if cos > 0.01 {
		dLon = math.Min(180, km/(111.0*cos))
	}
	minLon, maxLon := p[0]-dLon, p[0]+dLon
	if minLon < -180 {
		minLon += 360
	}
	if maxLon > 180 {
		maxLon -= 360
	}
	return geo.BBox{MinLon: minLon, MinLat: math.Max(-90, p[1]-dLat), MaxLon: maxLon, MaxLat: math.Min(90, p[1]+dLat)}
}
