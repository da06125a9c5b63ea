//go:build !unix

package feed_test

import "time"

// processCPU is unknown here: the CPU metric reads 0.
func processCPU() time.Duration { return 0 }
