package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// Article is an ingested article as the store remembers it, so that the
// same article is not ingested twice (package ingest): its key (a hash of
// its normalised text), where it came from, the incidents it gave and why
// it gave none, and its text, for reviewers.
type Article struct {
	Key         string
	URL         string
	Title       string
	Published   string
	IncidentIDs []string
	Reason      string
	Created     time.Time
	Text        string
}

// MaxArticlesOf bounds ArticlesOf: an incident reported by more articles
// is shown with its first ones.
const MaxArticlesOf = 20

// ArticleSeen reports whether an article from url was ingested before.
func (s *Store) ArticleSeen(ctx context.Context, url string) (bool, error) {
	var one int
	err := s.writer.QueryRowContext(ctx, `SELECT 1 FROM ingested_articles WHERE url = ? LIMIT 1`, url).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("looking up article %s: %w", url, err)
	}
	return true, nil
}

// FindArticle returns the article ingested with key, or else (url not
// empty) from url; false when there is none.
func (s *Store) FindArticle(ctx context.Context, key, url string) (Article, bool, error) {
	a := Article{Key: key}
	var idsJSON string
	var reason sql.NullString
	err := s.writer.QueryRowContext(ctx,
		`SELECT incident_ids, reason FROM ingested_articles WHERE key = ? OR (? <> '' AND url = ?) LIMIT 1`,
		key, url, url).Scan(&idsJSON, &reason)
	if errors.Is(err, sql.ErrNoRows) {
		return Article{}, false, nil
	}
	if err != nil {
		return Article{}, false, fmt.Errorf("looking up article: %w", err)
	}
	if err := json.Unmarshal([]byte(idsJSON), &a.IncidentIDs); err != nil {
		return Article{}, false, fmt.Errorf("reading incident ids of article %s: %w", key, err)
	}
	a.Reason = reason.String
	return a, true, nil
}

// RememberArticle records an ingested article, unless one with its key is
// recorded already.
func (s *Store) RememberArticle(ctx context.Context, a Article) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("recording article: %w", err)
	}
	defer tx.Rollback()
	if _, err := recordArticle(ctx, tx, a); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("recording article: %w", err)
	}
	return nil
}

// IngestArticle stores what ingesting the article a amounts to, in one
// write transaction: the incidents fresh inserted as Insert does, the
// stored incidents merged (with a's sources added) replaced as Update
// does, and a recorded with the ids of both (a.IncidentIDs is ignored).
// An article with a.Key recorded already — by another handle on the
// store, or another program, meanwhile — writes nothing and is an error
// wrapping ErrArticleExists: the key's uniqueness in the store, not a lock
// in one process, keeps each article to one ingest.
func (s *Store) IngestArticle(ctx context.Context, a Article, fresh, merged []incident.Incident) (stored, updated []incident.Incident, err error) {
	err = s.writeTx(ctx, len(merged) > 0, func(tx *sql.Tx, c *change) error {
		var err error
		if stored, err = insertRows(ctx, tx, c, fresh); err != nil {
			return err
		}
		u := &updater{tx: tx, c: c}
		defer u.close()
		updated = slices.Clone(merged)
		for i := range updated {
			if err := u.replace(ctx, &updated[i]); err != nil {
				return err
			}
		}
		a.IncidentIDs = ArticleIncidentIDs(stored, updated)
		ok, err := recordArticle(ctx, tx, a)
		if err == nil && !ok {
			err = fmt.Errorf("article %s: %w", a.Key, ErrArticleExists)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return stored, updated, nil
}

// ArticleIncidentIDs lists the ids an article's record keeps: the
// incidents it created, then those it was merged into.
func ArticleIncidentIDs(stored, updated []incident.Incident) []string {
	ids := make([]string, 0, len(stored)+len(updated))
	for _, in := range slices.Concat(stored, updated) {
		ids = append(ids, in.ID)
	}
	return ids
}

// recordArticle records a inside tx, with its incidents in the index by
// incident, and reports false (writing nothing) when an article with its
// key is recorded already.
func recordArticle(ctx context.Context, tx *sql.Tx, a Article) (bool, error) {
	idsJSON, err := json.Marshal(a.IncidentIDs)
	if err != nil {
		return false, fmt.Errorf("encoding incident ids: %w", err)
	}
	if a.IncidentIDs == nil {
		idsJSON = []byte("[]")
	}
	res, err := tx.ExecContext(ctx,
		`INSERT OR IGNORE INTO ingested_articles (key, url, title, published, incident_ids, reason, created, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		a.Key, a.URL, a.Title, a.Published, string(idsJSON), a.Reason, a.Created.UTC().Format(incident.TimeLayout), nullString(a.Text))
	if err != nil {
		return false, fmt.Errorf("recording article: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err // recorded before: its incidents are linked already
	}
	for _, id := range a.IncidentIDs {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO ingested_article_incidents (incident_id, key) VALUES (?, ?)`, id, a.Key); err != nil {
			return false, fmt.Errorf("recording the incidents of article %s: %w", a.Key, err)
		}
	}
	return true, nil
}

// ArticlesOf returns the articles the incident id was read from, oldest
// first, at most MaxArticlesOf, with their text; none for an incident
// written by hand or imported.
func (s *Store) ArticlesOf(ctx context.Context, id string) ([]Article, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT a.key, COALESCE(a.url, ''), COALESCE(a.title, ''), COALESCE(a.published, ''),
			a.incident_ids, COALESCE(a.reason, ''), a.created, COALESCE(a.text, '')
		FROM ingested_article_incidents l JOIN ingested_articles a ON a.key = l.key
		WHERE l.incident_id = ? ORDER BY a.created, a.key LIMIT ?`, id, MaxArticlesOf)
	if err != nil {
		return nil, fmt.Errorf("reading the articles of incident %s: %w", id, err)
	}
	return scanArticles(rows)
}

// scanArticles reads rows of key, url, title, published, incident_ids,
// reason, created and text.
func scanArticles(rows *sql.Rows) ([]Article, error) {
	defer rows.Close()
	var out []Article
	for rows.Next() {
		var a Article
		var ids, created string
		if err := rows.Scan(&a.Key, &a.URL, &a.Title, &a.Published, &ids, &a.Reason, &created, &a.Text); err != nil {
			return nil, fmt.Errorf("reading articles: %w", err)
		}
		if err := json.Unmarshal([]byte(ids), &a.IncidentIDs); err != nil {
			return nil, fmt.Errorf("reading incident ids of article %s: %w", a.Key, err)
		}
		a.Created = parseTimestamp(created)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading articles: %w", err)
	}
	return out, nil
}

// Articles returns up to limit ingested articles in key order, after the
// key after ("" from the first): a copy of the store reads them this way.
func (s *Store) Articles(ctx context.Context, after string, limit int) ([]Article, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT key, COALESCE(url, ''), COALESCE(title, ''), COALESCE(published, ''), incident_ids,
			COALESCE(reason, ''), created, COALESCE(text, '')
		FROM ingested_articles WHERE key > ? ORDER BY key LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("reading articles: %w", err)
	}
	return scanArticles(rows)
}
