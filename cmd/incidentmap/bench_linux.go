package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel stop the child server when bench dies, even
// killed or by a broken pipe, so that no server is left running.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
