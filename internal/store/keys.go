package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// KeyRecord is a stored API key: its SHA-256 hash (hex), never the secret
// (package keys makes and checks them).
type KeyRecord struct {
	Name    string
	Role    string
	Hash    string
	Prefix  string // the secret's first characters, to tell keys apart
	Created time.Time
	Revoked *time.Time
}

// AddKey stores k. A key with the same name or hash is ErrConflict.
func (s *Store) AddKey(ctx context.Context, k KeyRecord) error {
	_, err := s.writer.ExecContext(ctx, "INSERT INTO incidentmap_keys (name, role, hash, prefix, created, revoked) VALUES (?, ?, ?, ?, ?, ?)",
		k.Name, k.Role, k.Hash, k.Prefix, k.Created.UTC().Format(time.RFC3339Nano), keyTime(k.Revoked))
	if isUniqueViolation(err) {
		return fmt.Errorf("adding key %q: %w", k.Name, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("adding key %q: %w", k.Name, err)
	}
	return nil
}

func keyTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// Keys returns every stored key, revoked ones included, by name.
func (s *Store) Keys(ctx context.Context) ([]KeyRecord, error) {
	rows, err := s.reader.QueryContext(ctx, "SELECT name, role, hash, prefix, CAST(created AS TEXT), CAST(revoked AS TEXT) FROM incidentmap_keys ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("listing keys: %w", err)
	}
	defer rows.Close()
	out := []KeyRecord{}
	for rows.Next() {
		var k KeyRecord
		var created string
		var revoked sql.NullString
		if err := rows.Scan(&k.Name, &k.Role, &k.Hash, &k.Prefix, &created, &revoked); err != nil {
			return nil, fmt.Errorf("listing keys: %w", err)
		}
		k.Created, _ = time.Parse(time.RFC3339Nano, created)
		if revoked.Valid {
			t, _ := time.Parse(time.RFC3339Nano, revoked.String)
			k.Revoked = &t
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing keys: %w", err)
	}
	return out, nil
}

// RevokeKey marks the key named name revoked at at, unless it already is;
// an unknown name is ErrNotFound.
func (s *Store) RevokeKey(ctx context.Context, name string, at time.Time) error {
	res, err := s.writer.ExecContext(ctx, "UPDATE incidentmap_keys SET revoked = COALESCE(revoked, ?) WHERE name = ?",
		at.UTC().Format(time.RFC3339Nano), name)
	if err != nil {
		return fmt.Errorf("revoking key %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("revoking key %q: %w", name, ErrNotFound)
	}
	return nil
}

// KeyByHash returns the key with hash, or ErrNotFound.
func (s *Store) KeyByHash(ctx context.Context, hash string) (KeyRecord, error) {
	k := KeyRecord{Hash: hash}
	var created string
	var revoked sql.NullString
	err := s.reader.QueryRowContext(ctx, "SELECT name, role, prefix, CAST(created AS TEXT), CAST(revoked AS TEXT) FROM incidentmap_keys WHERE hash = ?", hash).
		Scan(&k.Name, &k.Role, &k.Prefix, &created, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return KeyRecord{}, fmt.Errorf("key: %w", ErrNotFound)
	}
	if err != nil {
		return KeyRecord{}, fmt.Errorf("checking a key: %w", err)
	}
	k.Created, _ = time.Parse(time.RFC3339Nano, created)
	if revoked.Valid {
		t, _ := time.Parse(time.RFC3339Nano, revoked.String)
		k.Revoked = &t
	}
	return k, nil
}
