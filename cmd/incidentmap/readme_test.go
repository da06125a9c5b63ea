package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// shellBlock matches a ```sh fenced code block of the README.
var shellBlock = regexp.MustCompile("(?ms)^```sh\n(.*?)^```")

// readmePreamble runs before each block. Like a user watching the output,
// it stops at the first failing command and names it; curl fails on an
// HTTP error, and on an empty FeatureCollection, which makes an example
// that shows nothing.
const readmePreamble = `set -eo pipefail
trap 'echo "README command failed: $BASH_COMMAND" >&2' ERR
curl() {
  local out
  out=$(command curl -fsS "$@") || return
  printf '%s\n' "$out"
  case $out in *'"type":"FeatureCollection","features":[]'*)
    echo "curl $*: an empty FeatureCollection, the example shows nothing" >&2; return 1;;
  esac
}
`

// TestREADMECommands runs every command of the README's shell blocks as a
// user pasting them would after the set-up: in a directory with the
// examples and ./incidentmap, against a server started as "make run"
// starts it (sample incidents, a generated token), with localhost:8080
// and $TOKEN replaced by the server's address and token. The "make" lines
// are what the test itself stands in for. Commands of tools that are not
// installed are skipped with a message.
func TestREADMECommands(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	blocks := shellBlock.FindAllStringSubmatch(string(readme), -1)
	if len(blocks) < 4 {
		t.Fatalf("found %d shell blocks in README.md: the fences changed?", len(blocks))
	}
	dir := readmeDir(t)
	base, token := startREADMEServer(t, dir)

	var missing strings.Builder
	for _, tool := range []string{"curl", "ogrinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Logf("skipping the README's %s commands: %s is not installed", tool, tool)
			fmt.Fprintf(&missing, "%s() { echo \"skipped (%s is not installed): %s $*\" >&2; }\n", tool, tool, tool)
		}
	}
	commands := 0
	for i, b := range blocks {
		var script []string
		for _, line := range strings.Split(b[1], "\n") {
			if strings.HasPrefix(line, "make ") {
				continue
			}
			if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") {
				commands++
			}
			script = append(script, line)
		}
		body := strings.ReplaceAll(strings.Join(script, "\n"), "http://localhost:8080", base)
		body = strings.ReplaceAll(body, "$TOKEN", token)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		cmd := exec.CommandContext(ctx, "bash", "-c", readmePreamble+missing.String()+body)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Errorf("README shell block %d failed (%v):\n%s\n--- output (last 2000 bytes):\n%s", i+1, err, b[1], tail(out, 2000))
		}
	}
	if commands < 20 {
		t.Errorf("ran %d README commands, expected the README's 20 or more", commands)
	}
}

// readmeDir makes the directory a user runs the README's commands in: the
// examples, and ./incidentmap, which is this test binary acting as the
// command (see TestMain).
func readmeDir(t *testing.T) string {
	dir := t.TempDir()
	examples, err := filepath.Abs(filepath.Join("..", "..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(examples, filepath.Join(dir, "examples")); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	wrapper := "#!/bin/sh\nINCIDENTMAP_TEST_MAIN=1 exec '" + strings.ReplaceAll(self, "'", `'\''`) + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "incidentmap"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// startREADMEServer starts "./incidentmap serve" in dir on a free loopback
// port, with the defaults make run uses, and returns its base URL and the
// write token it generated, read from its output (the line saying where it
// serves is its readiness signal).
func startREADMEServer(t *testing.T, dir string) (base, token string) {
	cmd := exec.Command("./incidentmap", "serve", "--addr", "127.0.0.1:0")
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "INCIDENTMAP_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Stderr = io.Discard
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		var lines []string
		for sc.Scan() {
			line := sc.Text()
			lines = append(lines, line)
			if len(lines) >= 2 && strings.HasPrefix(lines[len(lines)-2], "Generated a write token") {
				token = strings.TrimSpace(line)
			}
			if _, addr, ok := strings.Cut(line, " on http://"); ok && strings.HasPrefix(line, servingLine) {
				base = "http://" + strings.TrimSuffix(addr, "/")
			}
			if strings.HasPrefix(line, placesLoadedLine) { // the README's examples look places up
				ready <- nil
				io.Copy(io.Discard, stdout)
				return
			}
		}
		ready <- fmt.Errorf("the server stopped before loading its places; it printed:\n%s", strings.Join(lines, "\n"))
	}()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("the server did not say its places were loaded within 2 minutes")
	}
	if token == "" {
		t.Fatal("the server did not print a generated write token")
	}
	return base, token
}

// tail returns the last n bytes of b.
func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
