package main

import (
	"os"
	"testing"
)

// TestMain lets the test binary act as the incidentmap command when
// INCIDENTMAP_TEST_MAIN is set, so that tests can run the real server in
// a child process (and kill it) without a separate build step.
func TestMain(m *testing.M) {
	if os.Getenv("INCIDENTMAP_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}
