//go:build unix

package cputime

import "testing"

func TestProcessGrows(t *testing.T) {
	before := Process()
	x := 0
	for i := 0; i < 50_000_000 && Process() == before; i++ {
		x += i
	}
	if after := Process(); after <= before {
		t.Errorf("CPU time did not grow: %v then %v (%d)", before, after, x)
	}
}
