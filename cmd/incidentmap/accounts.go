package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/incidentmap/incidentmap/internal/keys"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/store/postgis"
)

// cliActor names the command line's writes in the audit trail.
func cliActor(ctx context.Context, action string) context.Context {
	name := envOr("USER", "")
	if u, err := user.Current(); name == "" && err == nil {
		name = u.Username
	}
	if name == "" {
		name = "unknown"
	}
	return store.WithActor(ctx, store.Actor{Name: "cli:" + name, Remote: "local", Action: action})
}

// runKeys manages API keys: keys add NAME --role ROLE, keys list, keys
// revoke NAME.
func runKeys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("keys", "keys add NAME --role reader|writer|admin | keys list | keys revoke NAME  [--db FILE]", stderr)
	dbPath := fs.String("db", defaultDB(), dbHelp)
	roleName := fs.String("role", "", "role of a new key: reader, writer or admin")
	if len(args) == 0 {
		fs.Usage()
		return usageError{"keys needs add, list or revoke"}
	}
	verb := args[0]
	// Flags may come before or after the name.
	var names []string
	for rest := args[1:]; ; rest = fs.Args()[1:] {
		if err := parseFlags(fs, rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		names = append(names, fs.Arg(0))
	}
	want := map[string]int{"add": 1, "list": 0, "revoke": 1}
	if n, ok := want[verb]; !ok || len(names) != n {
		fs.Usage()
		return usageError{fmt.Sprintf("keys %s: wrong arguments", verb)}
	}
	st, err := openBackend(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	kr := keys.New(st, "")
	switch verb {
	case "add":
		role, err := keys.ParseRole(*roleName)
		if err != nil {
			return usageError{err.Error()}
		}
		secret, key, err := kr.Add(ctx, names[0], role)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Added %s key %q. Its secret is shown only now:\n  %s\nUse it as: Authorization: Bearer %s\n", key.Role, key.Name, secret, secret)
	case "list":
		list, err := kr.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tPREFIX\tCREATED\tREVOKED")
		for _, k := range list {
			revoked := "-"
			if k.Revoked != nil {
				revoked = k.Revoked.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s…\t%s\t%s\n", k.Name, k.Role, k.Prefix, k.Created.Format(time.RFC3339), revoked)
		}
		return tw.Flush()
	case "revoke":
		if err := kr.Revoke(ctx, names[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Revoked key %q: it is refused from the next request on.\n", names[0])
	}
	return nil
}

// runAudit prints the audit trail, oldest first.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("audit", "audit [--db FILE] [--incident ID] [--actor NAME] [--since 24h|YYYY-MM-DD] [--limit N] [--json]", stderr)
	dbPath := fs.String("db", defaultDB(), dbHelp)
	id := fs.String("incident", "", "only this incident's history")
	actor := fs.String("actor", "", "only writes by this key (or cli:USER)")
	since := fs.String("since", "", "only writes since a duration ago (24h) or a date (YYYY-MM-DD)")
	limit := fs.Int("limit", 1000, "at most this many entries")
	asJSON := fs.Bool("json", false, "JSON lines with the incident before and after, instead of a table")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	q := store.AuditQuery{IncidentID: *id, Actor: *actor, Limit: *limit}
	if *since != "" {
		if d, err := time.ParseDuration(*since); err == nil {
			q.Since = time.Now().Add(-d)
		} else if t, err := time.Parse("2006-01-02", *since); err == nil {
			q.Since = t
		} else {
			return usageError{fmt.Sprintf("--since %q: want a duration such as 24h or a date YYYY-MM-DD", *since)}
		}
	}
	st, err := openBackend(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	entries, err := st.Audit(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		for _, e := range entries {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tAT\tACTOR\tFROM\tACTION\tCHANGE\tINCIDENT\tCHANGED")
	for _, e := range entries {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.At.Format(time.RFC3339), e.Actor, e.Remote, e.Action, e.Change, e.IncidentID, strings.Join(e.Changed, ","))
	}
	return tw.Flush()
}

// runBackup writes an online, consistent copy of the database.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", "backup [--db FILE] -o FILE", stderr)
	dbPath := fs.String("db", defaultDB(), "GeoPackage database file (env INCIDENTMAP_DB)")
	out := fs.String("o", "", "the backup file to write (must not exist)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() != 0 {
		fs.Usage()
		return usageError{"backup needs -o FILE"}
	}
	if postgis.IsURL(*dbPath) {
		return usageError{"backup copies a GeoPackage file; back PostgreSQL up with its own tools (pg_dump), or copy everything into a file with: incidentmap migrate --from " + displayDB(*dbPath) + " --to FILE.gpkg"}
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	st, err := store.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	if err := st.Backup(ctx, *out); err != nil {
		return err
	}
	info, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up %s to %s (%d bytes) in %s. It holds the keys and the audit trail: keep it safe.\n",
		*dbPath, *out, info.Size(), time.Since(start).Round(time.Millisecond))
	return nil
}
