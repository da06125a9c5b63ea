package postgis

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// ArticleSeen reports whether an article from url was ingested before.
func (s *Store) ArticleSeen(ctx context.Context, url string) (bool, error) {
	var seen bool
	if err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM ingested_articles WHERE url = $1)", url).Scan(&seen); err != nil {
		return false, fmt.Errorf("looking up article %s: %w", url, err)
	}
	return seen, nil
}

// FindArticle returns the article ingested with key, or else (url not
// empty) from url; false when there is none.
func (s *Store) FindArticle(ctx context.Context, key, url string) (store.Article, bool, error) {
	a := store.Article{Key: key}
	var reason *string
	err := s.pool.QueryRow(ctx, `SELECT incident_ids, reason FROM ingested_articles WHERE key = $1 OR ($2 <> '' AND url = $2) LIMIT 1`, key, url).
		Scan(&a.IncidentIDs, &reason)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Article{}, false, nil
	}
	if err != nil {
		return store.Article{}, false, fmt.Errorf("looking up article: %w", err)
	}
	if reason != nil {
		a.Reason = *reason
	}
	return a, true, nil
}

// RememberArticle records an ingested article, unless one with its key is
// recorded already.
func (s *Store) RememberArticle(ctx context.Context, a store.Article) error {
	_, err := recordArticle(ctx, s.pool, a)
	return err
}

// IngestArticle stores what ingesting the article a amounts to, in one
// write transaction, as the GeoPackage store's IngestArticle: fresh
// inserted, merged replaced, a recorded with their ids; an article with
// a.Key recorded already writes nothing and wraps store.ErrArticleExists.
// A concurrent transaction recording the same key waits on the primary
// key's index until this one ends, then finds it.
func (s *Store) IngestArticle(ctx context.Context, a store.Article, fresh, merged []incident.Incident) (stored, updated []incident.Incident, err error) {
	err = s.writeTx(ctx, func(tx pgx.Tx) error {
		var err error
		if stored, err = insertRows(ctx, tx, fresh); err != nil {
			return err
		}
		updated = slices.Clone(merged)
		for i := range updated {
			if err := replaceRow(ctx, tx, &updated[i]); err != nil {
				return err
			}
		}
		a.IncidentIDs = store.ArticleIncidentIDs(stored, updated)
		ok, err := recordArticle(ctx, tx, a)
		if err == nil && !ok {
			err = fmt.Errorf("article %s: %w", a.Key, store.ErrArticleExists)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return stored, updated, nil
}

// recordArticle records a, and reports false (writing nothing) when an
// article with its key is recorded already.
func recordArticle(ctx context.Context, db interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}, a store.Article) (bool, error) {
	ids := a.IncidentIDs
	if ids == nil {
		ids = []string{}
	}
	var text *string
	if a.Text != "" {
		text = &a.Text
	}
	tag, err := db.Exec(ctx, `INSERT INTO ingested_articles (key, url, title, published, incident_ids, reason, created, text)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key) DO NOTHING`,
		a.Key, a.URL, a.Title, a.Published, ids, a.Reason, a.Created.UTC(), text)
	if err != nil {
		return false, fmt.Errorf("recording article: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// Articles returns up to limit ingested articles in key order, after the
// key after ("" from the first): a copy of the store reads them this way.
func (s *Store) Articles(ctx context.Context, after string, limit int) ([]store.Article, error) {
	rows, err := s.pool.Query(ctx, `SELECT key, COALESCE(url, ''), COALESCE(title, ''), COALESCE(published, ''), incident_ids,
			COALESCE(reason, ''), created, COALESCE(text, '')
		FROM ingested_articles WHERE key COLLATE "C" > $1 ORDER BY key COLLATE "C" LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("reading articles: %w", err)
	}
	return scanArticles(rows)
}

// ArticlesOf returns the articles the incident id was read from, oldest
// first, at most store.MaxArticlesOf, with their text.
func (s *Store) ArticlesOf(ctx context.Context, id string) ([]store.Article, error) {
	rows, err := s.pool.Query(ctx, `SELECT key, COALESCE(url, ''), COALESCE(title, ''), COALESCE(published, ''), incident_ids,
			COALESCE(reason, ''), created, COALESCE(text, '')
		FROM ingested_articles WHERE incident_ids @> ARRAY[$1]::text[] ORDER BY created, key LIMIT $2`, id, store.MaxArticlesOf)
	if err != nil {
		return nil, fmt.Errorf("reading the articles of incident %s: %w", id, err)
	}
	return scanArticles(rows)
}

// scanArticles reads rows of key, url, title, published, incident_ids,
// reason, created and text.
func scanArticles(rows pgx.Rows) ([]store.Article, error) {
	defer rows.Close()
	var out []store.Article
	for rows.Next() {
		var a store.Article
		if err := rows.Scan(&a.Key, &a.URL, &a.Title, &a.Published, &a.IncidentIDs, &a.Reason, &a.Created, &a.Text); err != nil {
			return nil, fmt.Errorf("reading articles: %w", err)
		}
		a.Created = a.Created.UTC()
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading articles: %w", err)
	}
	return out, nil
}
