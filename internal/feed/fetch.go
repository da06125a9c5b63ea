package feed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Named errors of fetching, matched with errors.Is.
var (
	// ErrTooLarge means a body past the Fetcher's MaxBytes.
	ErrTooLarge = errors.New("too large")
	// ErrRedirect means a redirect the Fetcher refused: a loop, too many
	// hops, or a target that is not http or https.
	ErrRedirect = errors.New("bad redirect")
	// ErrStatus means the server answered neither 200 nor 304.
	ErrStatus = errors.New("unexpected HTTP status")
	// ErrTimeout means the fetch, body included, ran past the Fetcher's
	// Timeout.
	ErrTimeout = errors.New("timed out")
)

// Defaults of a Fetcher.
const (
	DefaultUserAgent    = "incidentmap-feeds/1 (+https://github.com/incidentmap/incidentmap; polls each feed at most every few minutes)"
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBytes     = 8 << 20 // feeds are tens of kilobytes; article pages a few hundred
	DefaultMaxRedirects = 5
)

// Fetcher gets documents over HTTP within bounds: one request with its
// body takes at most Timeout and MaxBytes, whatever the server does.
type Fetcher struct {
	client       *http.Client
	UserAgent    string
	Timeout      time.Duration
	MaxBytes     int64
	MaxRedirects int
}

// NewFetcher returns a Fetcher with the defaults over transport (nil for
// a transport of its own).
func NewFetcher(transport http.RoundTripper) *Fetcher {
	if transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = DefaultTimeout
		t.MaxIdleConnsPerHost = 4
		transport = t
	}
	f := &Fetcher{UserAgent: DefaultUserAgent, Timeout: DefaultTimeout, MaxBytes: DefaultMaxBytes, MaxRedirects: DefaultMaxRedirects}
	f.client = &http.Client{Transport: transport, CheckRedirect: f.checkRedirect}
	return f
}

// checkRedirect refuses loops, long chains and targets other than http(s).
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return fmt.Errorf("%w: to %q, which is not http or https", ErrRedirect, req.URL.Redacted())
	}
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			return fmt.Errorf("%w: a loop back to %s", ErrRedirect, req.URL.Redacted())
		}
	}
	if len(via) > f.MaxRedirects {
		return fmt.Errorf("%w: more than %d redirects", ErrRedirect, f.MaxRedirects)
	}
	return nil
}

// Validators are what a conditional GET sends back: the ETag and
// Last-Modified of the last answer.
type Validators struct {
	ETag         string
	LastModified string
}

// Response is a fetched document.
type Response struct {
	Body        []byte
	NotModified bool   // 304: the document is unchanged since Validators
	Validators         // of this answer, for the next request
	ContentType string // the Content-Type header
	URL         string // after redirects
}

// Fetch gets url, conditionally on v (zero for an unconditional GET), with
// accept as the Accept header.
func (f *Fetcher) Fetch(ctx context.Context, url, accept string, v Validators) (Response, error) {
	ctx, cancel := context.WithTimeout(ctx, f.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Response{}, fmt.Errorf("fetching %s: %w", url, err)
	}
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return Response{}, fmt.Errorf("fetching %s: the URL must be http or https", url)
	}
	req.Header.Set("User-Agent", f.UserAgent)
	req.Header.Set("Accept", accept)
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return Response{}, f.explain(ctx, url, err)
	}
	defer resp.Body.Close()
	out := Response{Validators: v, ContentType: resp.Header.Get("Content-Type"), URL: resp.Request.URL.String()}
	switch resp.StatusCode {
	case http.StatusNotModified:
		out.NotModified = true
		return out, nil
	case http.StatusOK:
	default:
		return Response{}, fmt.Errorf("fetching %s: %w %s", url, ErrStatus, resp.Status)
	}
	out.ETag, out.LastModified = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if resp.ContentLength > f.MaxBytes {
		return Response{}, fmt.Errorf("fetching %s: %w: %d bytes announced, the limit is %d", url, ErrTooLarge, resp.ContentLength, f.MaxBytes)
	}
	out.Body, err = io.ReadAll(io.LimitReader(resp.Body, f.MaxBytes+1))
	if err != nil {
		return Response{}, f.explain(ctx, url, err)
	}
	if int64(len(out.Body)) > f.MaxBytes {
		return Response{}, fmt.Errorf("fetching %s: %w: over the limit of %d bytes", url, ErrTooLarge, f.MaxBytes)
	}
	return out, nil
}

// explain names a timeout as such, and keeps the redirect errors
// matchable.
func (f *Fetcher) explain(ctx context.Context, url string, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("fetching %s: %w after %s", url, ErrTimeout, f.Timeout)
	}
	return fmt.Errorf("fetching %s: %w", url, err)
}
