//go:build !linux

package main

import "os/exec"

// dieWithParent has no kernel support here: a bench that is killed leaves
// its child server to be stopped by hand.
func dieWithParent(*exec.Cmd) {}
