package store

import "context"

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
