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

// Storage is where a Keyring keeps its keys: a store (store.Backend).
type Storage interface {
	AddKey(ctx context.Context, k store.KeyRecord) error
	Keys(ctx context.Context) ([]store.KeyRecord, error)
	RevokeKey(ctx context.Context, name string, at time.Time) error
	KeyByHash(ctx context.Context, hash string) (store.KeyRecord, error)
}

// Keyring manages the keys of one database.
type Keyring struct {
	st        Storage
	legacy    [sha256.Size]byte // hash of the legacy token; zero when none
	hasLegacy bool
}

// New returns the keyring of st. legacyToken, when not empty, is accepted
// as an admin key named LegacyName.
func New(st Storage, legacyToken string) *Keyring {
	k := &Keyring{st: st}
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
	err := k.st.AddKey(ctx, store.KeyRecord{Name: key.Name, Role: string(key.Role), Hash: hashHex(secret), Prefix: key.Prefix, Created: key.Created})
	if errors.Is(err, store.ErrConflict) {
		return "", Key{}, fmt.Errorf("adding key %q: %w", name, ErrExists)
	}
	if err != nil {
		return "", Key{}, err
	}
	return secret, key, nil
}

// List returns every key, revoked ones included, by name.
func (k *Keyring) List(ctx context.Context) ([]Key, error) {
	recs, err := k.st.Keys(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Key, len(recs))
	for i, r := range recs {
		out[i] = keyOf(r)
	}
	return out, nil
}

func keyOf(r store.KeyRecord) Key {
	return Key{Name: r.Name, Role: Role(r.Role), Prefix: r.Prefix, Created: r.Created, Revoked: r.Revoked}
}

// Revoke revokes the key named name, from the next request on.
func (k *Keyring) Revoke(ctx context.Context, name string) error {
	err := k.st.RevokeKey(ctx, name, time.Now().UTC())
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("revoking key %q: %w", name, ErrNotFound)
	}
	return err
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
	r, err := k.st.KeyByHash(ctx, hashHex(secret))
	if errors.Is(err, store.ErrNotFound) {
		return Key{}, ErrUnknown
	}
	if err != nil {
		return Key{}, err
	}
	if r.Revoked != nil {
		return Key{}, fmt.Errorf("key %q: %w", r.Name, ErrRevoked)
	}
	return keyOf(r), nil
}

func hashHex(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}
