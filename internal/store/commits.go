package store

import "sync"

// Commits tells waiters that a write has committed. Every store holds one
// and announces each committed write of incidents, so that the live map
// (and anything else watching) reads what changed once, after the commit.
// The zero value is ready.
type Commits struct {
	mu sync.Mutex
	ch chan struct{}
}

// Next returns a channel closed when the next write commits. Take it
// before reading what changed, so that a write during the read is not
// missed.
func (c *Commits) Next() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ch == nil {
		c.ch = make(chan struct{})
	}
	return c.ch
}

// Announce wakes the waiters of Next after a commit.
func (c *Commits) Announce() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ch != nil {
		close(c.ch)
		c.ch = nil
	}
}
