-- The text of each ingested article, so that a reviewer reads the
-- evidence where it stands, and which incidents each article gave, by
-- incident (the incident_ids column lists them by article).
ALTER TABLE ingested_articles ADD COLUMN text TEXT;
CREATE TABLE ingested_article_incidents (
  incident_id TEXT NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (incident_id, key)
) WITHOUT ROWID;
INSERT OR IGNORE INTO ingested_article_incidents (incident_id, key)
  SELECT j.value, a.key FROM ingested_articles a, json_each(a.incident_ids) j;
