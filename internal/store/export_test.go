package store

import (
	"context"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// IndexInStep reports whether s's index is built and matches the file, so
// that queries use it.
func IndexInStep(ctx context.Context, s *Store) bool {
	x := s.index.Load()
	if x == nil {
		return false
	}
	fp, err := s.fingerprint(ctx)
	if err != nil {
		return false
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.ok && x.fp == fp
}

// WaitIndexRefresh waits for a background rebuild of the index to finish.
func WaitIndexRefresh(s *Store) { s.bg.Wait() }

// QueryWhere streams the incidents matching an SQL condition over the
// incidents columns (aliased i) through Query's reading path, for tests of
// what no filter can express.
func QueryWhere(ctx context.Context, s *Store, cond string, fn func(*incident.Incident) error) error {
	_, err := s.stream(ctx, Query{}, fn, "SELECT "+selectColumns+" FROM incidents i WHERE "+cond)
	return err
}
