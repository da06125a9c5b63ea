-- The article pipeline's tables (the GeoPackage store's migration 0007).

-- Ingested articles, for idempotence: an article seen before (same
-- normalised text, or same URL) is not ingested twice.
CREATE TABLE ingested_articles (
  key text PRIMARY KEY,
  url text,
  title text,
  published text,
  incident_ids text[] NOT NULL,
  reason text,
  created timestamptz NOT NULL
);
CREATE INDEX ingested_articles_url ON ingested_articles (url) WHERE url IS NOT NULL AND url <> '';

-- Watched feeds (incidentmap feeds add), their schedule and polling state.
CREATE TABLE incidentmap_feeds (
  url text PRIMARY KEY,
  every_seconds integer NOT NULL,
  country text,
  added timestamptz NOT NULL,
  next_poll timestamptz NOT NULL,
  state text NOT NULL
);
CREATE INDEX incidentmap_feeds_next_poll ON incidentmap_feeds (next_poll);
