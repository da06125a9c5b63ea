// Package cputime reads the CPU time the process has used. Benchmarks
// report it per operation: on a machine shared with other work, CPU time
// per operation is steadier than wall time.
package cputime
