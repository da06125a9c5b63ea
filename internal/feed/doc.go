// Package feed watches news feeds: it keeps the list of feeds and their
// polling state (Registry), fetches a feed politely and within bounds
// (Fetcher: conditional GET, a User-Agent, a timeout, a size cap, checked
// redirects), reads RSS, Atom and JSON Feed (Parse, with gofeed), and polls
// the feeds that are due, handing new items to the ingester as articles
// (Poller), so that what the machine extracts waits in the review queue.
package feed
