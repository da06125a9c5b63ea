package keys_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/internal/keys"
	"github.com/incidentmap/incidentmap/internal/store"
)

func TestKeyring(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "k.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	k := keys.New(st, "legacy-token-0123456789")

	secret, key, err := k.Add(ctx, "field-team", keys.Writer)
	if err != nil || !strings.HasPrefix(secret, "imk_") || key.Role != keys.Writer {
		t.Fatalf("Add = %q, %+v, %v", secret, key, err)
	}
	var stored int
	if err := st.ReadDB().QueryRow("SELECT COUNT(*) FROM incidentmap_keys WHERE hash = ? OR prefix = ?", secret, secret).Scan(&stored); err != nil || stored != 0 {
		t.Fatalf("the secret is stored in clear (%d rows, %v)", stored, err)
	}
	if _, _, err := k.Add(ctx, "field-team", keys.Reader); !errors.Is(err, keys.ErrExists) {
		t.Errorf("second Add: %v, want ErrExists", err)
	}
	for _, bad := range []string{"", "has space", keys.LegacyName, strings.Repeat("x", 65)} {
		if _, _, err := k.Add(ctx, bad, keys.Reader); !errors.Is(err, keys.ErrName) {
			t.Errorf("Add(%q): %v, want ErrName", bad, err)
		}
	}

	tests := []struct {
		secret string
		name   string
		role   keys.Role
		err    error
	}{
		{secret, "field-team", keys.Writer, nil},
		{"legacy-token-0123456789", keys.LegacyName, keys.Admin, nil},
		{"imk_" + strings.Repeat("0", 48), "", "", keys.ErrUnknown},
		{"legacy-token-012345678", "", "", keys.ErrUnknown},
	}
	for _, tt := range tests {
		got, err := k.Authenticate(ctx, tt.secret)
		if !errors.Is(err, tt.err) || got.Name != tt.name || got.Role != tt.role {
			t.Errorf("Authenticate(%.12q…) = %+v, %v", tt.secret, got, err)
		}
	}
	if err := k.Revoke(ctx, "field-team"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Authenticate(ctx, secret); !errors.Is(err, keys.ErrRevoked) {
		t.Errorf("a revoked key: %v, want ErrRevoked", err)
	}
	if err := k.Revoke(ctx, "nobody"); !errors.Is(err, keys.ErrNotFound) {
		t.Errorf("Revoke(nobody): %v", err)
	}
	list, err := k.List(ctx)
	if err != nil || len(list) != 1 || list[0].Revoked == nil || list[0].Prefix == "" {
		t.Errorf("List = %+v, %v", list, err)
	}
}

func TestRoles(t *testing.T) {
	tests := []struct {
		have, need keys.Role
		ok         bool
	}{
		{keys.Reader, keys.Reader, true}, {keys.Reader, keys.Writer, false}, {keys.Writer, keys.Writer, true},
		{keys.Writer, keys.Admin, false}, {keys.Admin, keys.Writer, true}, {"", keys.Reader, false},
	}
	for _, tt := range tests {
		if got := tt.have.Allows(tt.need); got != tt.ok {
			t.Errorf("%q.Allows(%q) = %v", tt.have, tt.need, got)
		}
	}
	if _, err := keys.ParseRole("owner"); !errors.Is(err, keys.ErrRole) {
		t.Errorf("ParseRole(owner): %v", err)
	}
}
