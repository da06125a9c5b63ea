-- The tables of the article pipeline, created until now by the packages
-- that use them (ingest.New and feed.NewRegistry) when they first ran; the
-- store's migrations now own every schema object. IF NOT EXISTS keeps the
-- files where those packages already created them, with the same columns.

-- Ingested articles, for idempotence: an article seen before (same
-- normalised text, or same URL) is not ingested twice.
CREATE TABLE IF NOT EXISTS ingested_articles (
  key TEXT PRIMARY KEY,
  url TEXT,
  title TEXT,
  published TEXT,
  incident_ids TEXT NOT NULL,
  reason TEXT,
  created TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ingested_articles_url ON ingested_articles(url) WHERE url IS NOT NULL AND url <> '';

-- Watched feeds (incidentmap feeds add), their schedule and polling state.
CREATE TABLE IF NOT EXISTS incidentmap_feeds (
  url TEXT NOT NULL PRIMARY KEY,
  every_seconds INTEGER NOT NULL,
  country TEXT,
  added TEXT NOT NULL,
  next_poll TEXT NOT NULL,
  state TEXT NOT NULL);
