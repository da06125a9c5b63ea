// Package keys keeps incidentmap's API keys: named, with a role, stored as
// hashes in the database (table incidentmap_keys, created by the store's
// migrations), created, listed, revoked and checked. It knows nothing of
// HTTP.
package keys

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/internal/store"
)

// Role is what a key may do. Each role may do what the ones before it may.
type Role string

// The roles, weakest first.
const (
	// Reader may read, which matters on a private server (serve --private).
	Reader Role = "reader"
	// Writer may also create, change, delete, import and ingest incidents.
	Writer Role = "writer"
	// Admin may also manage keys.
	Admin Role = "admin"
)

// Roles lists the roles, weakest first.
func Roles() []Role { return []Role{Reader, Writer, Admin} }

func (r Role) rank() int {
	for i, x := range Roles() {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// Allows says whether a key of role r may do what needs role need.
func (r Role) Allows(need Role) bool { return r.rank() > 0 && r.rank() >= need.rank() }

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if r.rank() == 0 {
		return "", fmt.Errorf("%w: %q (want reader, writer or admin)", ErrRole, s)
	}
	return r, nil
}

// Named errors, for errors.Is.
var (
	// ErrUnknown means no key matches the secret given.
	ErrUnknown = errors.New("unknown API key")
	// ErrRevoked means the key was revoked.
	ErrRevoked = errors.New("API key revoked")
	// ErrExists means a key with that name exists (revoked or not).
	ErrExists = errors.New("a key with that name exists")
	// ErrNotFound means no key has that name.
	ErrNotFound = errors.New("no key with that name")
	// ErrRole means a role name that is not reader, writer or admin.
	ErrRole = errors.New("unknown role")
	// ErrName means a key name that is empty, too long or has characters
	// other than letters, digits and . _ @ -.
	ErrName = errors.New("invalid key name")
)

// LegacyName is the name under which the single token of earlier versions
// (INCIDENTMAP_TOKEN, or the one generated in the database) acts as an
// admin key.
const LegacyName = "token"

// Key is a stored key, without its secret.
type Key struct {
	Name    string     `json:"name"`
	Role    Role       `json:"role"`
	Prefix  string     `json:"prefix"` // the secret's first characters
	Created time.Time  `json:"created"`
	Revoked *time.Time `json:"revoked,omitempty"`
}

// Keyring manages the keys of one database.
type Keyring struct {
	writer, reader *sql.DB
	legacy         [sha256.Size]byte // hash of the legacy token; zero when none
	hasLegacy      bool
}

// New returns the keyring of st. legacyToken, when not empty, is accepted
// as an admin key named LegacyName.
func New(st *store.Store, legacyToken string) *Keyring {
	k := &Keyring{writer: st.DB(), reader: st.ReadDB()}
	if legacyToken != "" {
		k.legacy, k.hasLegacy = sha256.Sum256([]byte(legacyToken)), true
	}
	return k
}

// secretPrefix starts every key, so that leaked keys are easy to search
// for in logs and repositories.
const secretPrefix = "imk_"

var nameRE = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,64}$`)

// Add creates a key named name with role and returns its secret, which is
// stored only as a hash: it cannot be shown again.
func (k *Keyring) Add(ctx context.Context, name string, role Role) (string, Key, error) {
	if !nameRE.MatchString(name) || name == LegacyName {
		return "", Key{}, fmt.Errorf("%w: %q (1 to 64 letters, digits, . _ @ -; not %q)", ErrName, name, LegacyName)
	}
	if role.rank() == 0 {
		return "", Key{}, fmt.Errorf("%w: %q", ErrRole, role)
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", Key{}, fmt.Errorf("generating a key: %w", err)
	}
	secret := secretPrefix + hex.EncodeToString(b)
	key := Key{Name: name, Role: role, Prefix: secret[:len(secretPrefix)+6], Created: time.Now().UTC().Truncate(time.Millisecond)}
	_, err := k.writer.ExecContext(ctx, "INSERT INTO incidentmap_keys (name, role, hash, prefix, created) VALUES (?, ?, ?, ?, ?)",
		key.Name, string(key.Role), hashHex(secret), key.Prefix, key.Created.Format(time.RFC3339Nano))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return "", Key{}, fmt.Errorf("adding key %q: %w", name, ErrExists)
		}
		return "", Key{}, fmt.Errorf("adding key %q: %w", name, err)
	}
	return secret, key, nil
}

// List returns every key, revoked ones included, by name.
func (k *Keyring) List(ctx context.Context) ([]Key, error) {
	rows, err := k.reader.QueryContext(ctx, "SELECT name, role, prefix, CAST(created AS TEXT), CAST(revoked AS TEXT) FROM incidentmap_keys ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("listing keys: %w", err)
	}
	defer rows.Close()
	out := []Key{}
	for rows.Next() {
		var key Key
		var created string
		var revoked sql.NullString
		if err := rows.Scan(&key.Name, &key.Role, &key.Prefix, &created, &revoked); err != nil {
			return nil, fmt.Errorf("listing keys: %w", err)
		}
		key.Created, _ = time.Parse(time.RFC3339Nano, created)
		if revoked.Valid {
			t, _ := time.Parse(time.RFC3339Nano, revoked.String)
			key.Revoked = &t
		}
		out = append(out, key)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing keys: %w", err)
	}
	return out, nil
}

// Revoke revokes the key named name, from the next request on.
func (k *Keyring) Revoke(ctx context.Context, name string) error {
	res, err := k.writer.ExecContext(ctx, "UPDATE incidentmap_keys SET revoked = COALESCE(revoked, ?) WHERE name = ?",
		time.Now().UTC().Format(time.RFC3339Nano), name)
	if err != nil {
		return fmt.Errorf("revoking key %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("revoking key %q: %w", name, ErrNotFound)
	}
	return nil
}

// Authenticate returns the key whose secret this is. It reads the database
// each time, so a revocation holds from the next request.
func (k *Keyring) Authenticate(ctx context.Context, secret string) (Key, error) {
	if k.hasLegacy {
		h := sha256.Sum256([]byte(secret))
		if subtle.ConstantTimeCompare(h[:], k.legacy[:]) == 1 {
			return Key{Name: LegacyName, Role: Admin}, nil
		}
	}
	if !strings.HasPrefix(secret, secretPrefix) {
		return Key{}, ErrUnknown
	}
	// The lookup is by hash: timing reveals nothing of the secret.
	var key Key
	var revoked sql.NullString
	err := k.reader.QueryRowContext(ctx, "SELECT name, role, prefix, CAST(revoked AS TEXT) FROM incidentmap_keys WHERE hash = ?", hashHex(secret)).
		Scan(&key.Name, &key.Role, &key.Prefix, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, ErrUnknown
	}
	if err != nil {
		return Key{}, fmt.Errorf("checking a key: %w", err)
	}
	if revoked.Valid {
		return Key{}, fmt.Errorf("key %q: %w", key.Name, ErrRevoked)
	}
	return key, nil
}

func hashHex(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}
