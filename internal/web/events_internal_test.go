package web

import "testing"

// TestHubDropsSlowStreams: a stream whose queue is full is dropped (its
// page reconnects and catches up), and the others still get every event;
// readers are not queued events that have nothing for them.
func TestHubDropsSlowStreams(t *testing.T) {
	h := newHub(nil, nil, 10)
	slow := &subscriber{events: make(chan *liveEvent, eventQueue), dropped: make(chan struct{})}
	reader := &subscriber{events: make(chan *liveEvent, eventQueue), dropped: make(chan struct{})}
	fast := &subscriber{writer: true, events: make(chan *liveEvent, 2*eventQueue), dropped: make(chan struct{})}
	for _, s := range []*subscriber{slow, reader, fast} {
		h.subs[s] = struct{}{}
	}
	evs := make([]*liveEvent, eventQueue)
	for i := range evs {
		evs[i] = &liveEvent{seq: int64(i + 1), reader: []byte("r"), writer: []byte("w")}
	}
	queueOnly := &liveEvent{seq: eventQueue + 1, writer: []byte("w")}
	for s := range h.subs {
		h.deliver(s, evs)
		h.deliver(s, []*liveEvent{queueOnly})
	}
	for s := range h.subs {
		if s != slow { // the slow one stops reading: its queue is full
			for len(s.events) > 0 {
				<-s.events
			}
		}
	}
	for s := range h.subs {
		h.deliver(s, []*liveEvent{evs[0]})
	}
	if _, ok := h.subs[slow]; ok {
		t.Error("the slow stream is still subscribed")
	}
	select {
	case <-slow.dropped:
	default:
		t.Error("the slow stream was not told it was dropped")
	}
	for _, s := range []*subscriber{reader, fast} {
		if _, ok := h.subs[s]; !ok {
			t.Error("a stream that keeps up was dropped")
		}
	}
	if len(reader.events) != 1 || len(fast.events) != 1 {
		t.Errorf("queued after draining: reader %d, writer %d; want 1 and 1", len(reader.events), len(fast.events))
	}
}
