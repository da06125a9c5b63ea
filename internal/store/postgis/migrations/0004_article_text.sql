-- The text of each ingested article, for reviewers (the GeoPackage
-- store's migration 0008), and its incidents indexed for ArticlesOf.
ALTER TABLE ingested_articles ADD COLUMN text text;
CREATE INDEX ingested_articles_incidents ON ingested_articles USING gin (incident_ids);
