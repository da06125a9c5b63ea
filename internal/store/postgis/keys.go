package postgis

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/incidentmap/incidentmap/internal/store"
)

// AddKey stores k. A key with the same name or hash is store.ErrConflict.
func (s *Store) AddKey(ctx context.Context, k store.KeyRecord) error {
	_, err := s.pool.Exec(ctx, "INSERT INTO incidentmap_keys (name, role, hash, prefix, created, revoked) VALUES ($1, $2, $3, $4, $5, $6)",
		k.Name, k.Role, k.Hash, k.Prefix, k.Created.UTC(), k.Revoked)
	if uniqueViolation(err) {
		return fmt.Errorf("adding key %q: %w", k.Name, store.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("adding key %q: %w", k.Name, err)
	}
	return nil
}

const keyColumns = "name, role, hash, prefix, created, revoked"

func scanKey(sc scanner) (store.KeyRecord, error) {
	var k store.KeyRecord
	if err := sc.Scan(&k.Name, &k.Role, &k.Hash, &k.Prefix, &k.Created, &k.Revoked); err != nil {
		return store.KeyRecord{}, err
	}
	k.Created = k.Created.UTC()
	if k.Revoked != nil {
		*k.Revoked = k.Revoked.UTC()
	}
	return k, nil
}

// Keys returns every stored key, revoked ones included, by name.
func (s *Store) Keys(ctx context.Context) ([]store.KeyRecord, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+keyColumns+` FROM incidentmap_keys ORDER BY name COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("listing keys: %w", err)
	}
	defer rows.Close()
	out := []store.KeyRecord{}
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, fmt.Errorf("listing keys: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing keys: %w", err)
	}
	return out, nil
}

// RevokeKey marks the key named name revoked at at, unless it already is;
// an unknown name is store.ErrNotFound.
func (s *Store) RevokeKey(ctx context.Context, name string, at time.Time) error {
	tag, err := s.pool.Exec(ctx, "UPDATE incidentmap_keys SET revoked = COALESCE(revoked, $1) WHERE name = $2", at.UTC(), name)
	if err != nil {
		return fmt.Errorf("revoking key %q: %w", name, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("revoking key %q: %w", name, store.ErrNotFound)
	}
	return nil
}

// KeyByHash returns the key with hash, or store.ErrNotFound.
func (s *Store) KeyByHash(ctx context.Context, hash string) (store.KeyRecord, error) {
	k, err := scanKey(s.pool.QueryRow(ctx, "SELECT "+keyColumns+" FROM incidentmap_keys WHERE hash = $1", hash))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.KeyRecord{}, fmt.Errorf("key: %w", store.ErrNotFound)
	}
	if err != nil {
		return store.KeyRecord{}, fmt.Errorf("checking a key: %w", err)
	}
	return k, nil
}
