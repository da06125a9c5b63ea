// Package postgis keeps incidents in PostgreSQL with PostGIS: the store for
// teams that outgrow one GeoPackage file (many writers, tens of millions of
// incidents, replicas, backups their database team already runs). It
// implements store.Backend with the GeoPackage store's behaviour — the same
// filters, keyset paging, clusters, review, audit trail and settings — and
// the store package's rules (ids, rounding, validation, cursors), so that a
// client cannot tell the two apart; internal/store/storetest holds both to
// the same answers. It knows nothing of HTTP.
//
// It talks to the server through pgx's connection pool. Its schema is its
// own numbered migrations (migrations/*.sql), applied at Open under an
// advisory lock so that several incidentmap processes may start at once.
package postgis

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/incidentmap/incidentmap/internal/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Pool defaults, each used only when the connection URL does not set its
// own (connect_timeout, statement_timeout, pool_max_conns...).
const (
	// connectTimeout bounds dialling and authenticating one connection.
	connectTimeout = 10 * time.Second
	// statementTimeout bounds one statement on the server: a runaway query
	// ends there even when its client has gone.
	statementTimeout = 2 * time.Minute
	// idleTimeout closes connections idle this long, giving back server
	// slots a quiet instance does not need.
	idleTimeout = 5 * time.Minute
	// connLifetime recycles connections, so that a failed-over or
	// reconfigured server is picked up.
	connLifetime = time.Hour
)

// Store is an open PostGIS incident database. It is safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool

	commits store.Commits // announced after each committed write (Changed)
}

var _ store.Backend = (*Store)(nil)

// IsURL reports whether a --db value names a PostgreSQL database
// (postgres:// or postgresql://) rather than a GeoPackage file.
func IsURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Open connects to the database at url (postgres://user@host/db?…),
// applying pending migrations. The PostGIS extension must be installed
// on the server; the first migration creates it in the database when the
// role may, otherwise a database administrator runs CREATE EXTENSION
// postgis once.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("reading the database URL: %w", err)
	}
	if !strings.Contains(url, "connect_timeout=") {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["statement_timeout"]; !ok {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = strconv.FormatInt(statementTimeout.Milliseconds(), 10)
	}
	if !strings.Contains(url, "pool_max_conn_idle_time=") {
		cfg.MaxConnIdleTime = idleTimeout
	}
	if !strings.Contains(url, "pool_max_conn_lifetime=") {
		cfg.MaxConnLifetime = connLifetime
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", cfg.ConnConfig.Host, err)
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the pool's connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// migrationLock is the advisory lock key under which migrations run
// ("incidentmap" in ASCII, truncated to 64 bits).
const migrationLock = 0x696e636964656e74

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: no version number: %w", base, err)
		}
		text, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(text)})
	}
	return out, nil
}

// migrate applies the pending migrations in one transaction (PostgreSQL's
// DDL is transactional: all of them or none), under an advisory lock.
// A database whose incidents table was not made by incidentmap is
// store.ErrNotIncidentmap; one migrated further than this binary knows,
// store.ErrSchemaNewer.
func (s *Store) migrate(ctx context.Context) error {
	all, err := migrations()
	if err != nil {
		return fmt.Errorf("reading migrations: %w", err)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err != nil {
			return fmt.Errorf("locking for migrations: %w", err)
		}
		var hasSchema, hasIncidents bool
		if err := tx.QueryRow(ctx, "SELECT to_regclass('incidentmap_schema') IS NOT NULL, to_regclass('incidents') IS NOT NULL").
			Scan(&hasSchema, &hasIncidents); err != nil {
			return fmt.Errorf("reading the schema version: %w", err)
		}
		if !hasSchema && hasIncidents {
			return fmt.Errorf("an incidents table without incidentmap_schema: %w", store.ErrNotIncidentmap)
		}
		if !hasSchema {
			if _, err := tx.Exec(ctx, "CREATE TABLE incidentmap_schema (version integer PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())"); err != nil {
				return fmt.Errorf("creating incidentmap_schema: %w", err)
			}
		}
		var current int
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM incidentmap_schema").Scan(&current); err != nil {
			return fmt.Errorf("reading the schema version: %w", err)
		}
		if len(all) > 0 && current > all[len(all)-1].version {
			return fmt.Errorf("schema version %d, this program knows %d: %w", current, all[len(all)-1].version, store.ErrSchemaNewer)
		}
		for _, m := range all {
			if m.version <= current {
				continue
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("applying migration %s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO incidentmap_schema (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
				return fmt.Errorf("recording migration %s: %w", m.name, err)
			}
		}
		return nil
	})
}

// Setting returns a value from the settings table, or store.ErrNotFound.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.pool.QueryRow(ctx, "SELECT value FROM incidentmap_settings WHERE key = $1", key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("setting %q: %w", key, store.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("reading setting %q: %w", key, err)
	}
	return v, nil
}

// SetSettingIfAbsent stores value under key unless the key already has
// one, and returns the value now stored.
func (s *Store) SetSettingIfAbsent(ctx context.Context, key, value string) (string, error) {
	// The no-op update makes RETURNING see the stored row when the key
	// exists, in one statement, so concurrent callers agree on one value.
	var v string
	err := s.pool.QueryRow(ctx, `INSERT INTO incidentmap_settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = incidentmap_settings.value RETURNING value`, key, value).Scan(&v)
	if err != nil {
		return "", fmt.Errorf("storing setting %q: %w", key, err)
	}
	return v, nil
}

// Revision returns a number that changes with every committed write to
// the incidents, for cache validators such as HTTP ETags.
func (s *Store) Revision(ctx context.Context) (int64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, "SELECT value::bigint FROM incidentmap_settings WHERE key = 'revision'").Scan(&n); err != nil {
		return 0, fmt.Errorf("reading revision: %w", err)
	}
	return n, nil
}
