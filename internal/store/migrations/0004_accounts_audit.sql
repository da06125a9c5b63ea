-- Accounts and the audit trail (issue 12).
--
-- incidentmap_keys: named API keys with a role. Only a SHA-256 hash of each
-- key is kept (keys are 192 random bits, so a fast hash is safe); prefix is
-- the key's first characters, shown in listings to tell keys apart.
CREATE TABLE incidentmap_keys (
  name TEXT NOT NULL PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('reader', 'writer', 'admin')),
  hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created DATETIME NOT NULL,
  revoked DATETIME
);

-- incidentmap_audit: one row per incident written — who (key name), from
-- where, when, which action, and the row before and after as JSON (column
-- names are the public property names; geom is the GeoPackage blob in hex).
-- It has no foreign key to incidents, so a deleted incident keeps its
-- history. Triggers fill it, so every path that writes incidents (API,
-- imports, ingest, sync deletions) is recorded in the write's own
-- transaction. A migration that adds an incidents column must recreate
-- the triggers with it.
CREATE TABLE incidentmap_audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  actor TEXT NOT NULL,
  remote TEXT NOT NULL,
  action TEXT NOT NULL,
  request_id TEXT NOT NULL,
  incident_id TEXT NOT NULL,
  change TEXT NOT NULL CHECK (change IN ('insert', 'update', 'delete')),
  before TEXT,
  after TEXT
);
CREATE INDEX incidentmap_audit_incident ON incidentmap_audit (incident_id, seq);

-- The writer of the current transaction, set by the store at the start of
-- each write and reset before it commits, so that a write by another tool
-- (GDAL, QGIS) is recorded as such.
CREATE TABLE incidentmap_audit_context (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  actor TEXT NOT NULL,
  remote TEXT NOT NULL,
  action TEXT NOT NULL,
  request_id TEXT NOT NULL
);
INSERT INTO incidentmap_audit_context VALUES (1, 'external tool', '', 'write', '');

CREATE TRIGGER incidentmap_audit_insert AFTER INSERT ON incidents
BEGIN
  INSERT INTO incidentmap_audit (actor, remote, action, request_id, incident_id, change, before, after)
  VALUES ((SELECT actor FROM incidentmap_audit_context), (SELECT remote FROM incidentmap_audit_context), (SELECT action FROM incidentmap_audit_context), (SELECT request_id FROM incidentmap_audit_context),
    NEW.id, 'insert', NULL, json_object('geom', hex(NEW.geom), 'id', NEW.id, 'event_date', NEW.event_date,
    'event_end_date', NEW.event_end_date, 'date_precision', NEW.date_precision,
    'event_type', NEW.event_type, 'sub_event_type', NEW.sub_event_type, 'actor1', NEW.actor1,
    'actor2', NEW.actor2, 'assoc_actor_1', NEW.assoc_actor_1, 'assoc_actor_2', NEW.assoc_actor_2,
    'inter1', NEW.inter1, 'inter2', NEW.inter2, 'fatalities', NEW.fatalities,
    'civilian_fatalities', NEW.civilian_fatalities, 'injured', NEW.injured,
    'location', NEW.location, 'admin1', NEW.admin1, 'admin2', NEW.admin2, 'country', NEW.country,
    'geo_precision', NEW.geo_precision, 'place_id', NEW.place_id, 'notes', NEW.notes,
    'tags', json(NEW.tags), 'confidence', NEW.confidence, 'sources', json(NEW.sources),
    'source_event_id', NEW.source_event_id, 'created', NEW.created, 'updated', NEW.updated));
END;
CREATE TRIGGER incidentmap_audit_update AFTER UPDATE ON incidents
BEGIN
  INSERT INTO incidentmap_audit (actor, remote, action, request_id, incident_id, change, before, after)
  VALUES ((SELECT actor FROM incidentmap_audit_context), (SELECT remote FROM incidentmap_audit_context), (SELECT action FROM incidentmap_audit_context), (SELECT request_id FROM incidentmap_audit_context),
    NEW.id, 'update', json_object('geom', hex(OLD.geom), 'id', OLD.id, 'event_date', OLD.event_date,
    'event_end_date', OLD.event_end_date, 'date_precision', OLD.date_precision,
    'event_type', OLD.event_type, 'sub_event_type', OLD.sub_event_type, 'actor1', OLD.actor1,
    'actor2', OLD.actor2, 'assoc_actor_1', OLD.assoc_actor_1, 'assoc_actor_2', OLD.assoc_actor_2,
    'inter1', OLD.inter1, 'inter2', OLD.inter2, 'fatalities', OLD.fatalities,
    'civilian_fatalities', OLD.civilian_fatalities, 'injured', OLD.injured,
    'location', OLD.location, 'admin1', OLD.admin1, 'admin2', OLD.admin2, 'country', OLD.country,
    'geo_precision', OLD.geo_precision, 'place_id', OLD.place_id, 'notes', OLD.notes,
    'tags', json(OLD.tags), 'confidence', OLD.confidence, 'sources', json(OLD.sources),
    'source_event_id', OLD.source_event_id, 'created', OLD.created, 'updated', OLD.updated),
    json_object('geom', hex(NEW.geom), 'id', NEW.id, 'event_date', NEW.event_date,
    'event_end_date', NEW.event_end_date, 'date_precision', NEW.date_precision,
    'event_type', NEW.event_type, 'sub_event_type', NEW.sub_event_type, 'actor1', NEW.actor1,
    'actor2', NEW.actor2, 'assoc_actor_1', NEW.assoc_actor_1, 'assoc_actor_2', NEW.assoc_actor_2,
    'inter1', NEW.inter1, 'inter2', NEW.inter2, 'fatalities', NEW.fatalities,
    'civilian_fatalities', NEW.civilian_fatalities, 'injured', NEW.injured,
    'location', NEW.location, 'admin1', NEW.admin1, 'admin2', NEW.admin2, 'country', NEW.country,
    'geo_precision', NEW.geo_precision, 'place_id', NEW.place_id, 'notes', NEW.notes,
    'tags', json(NEW.tags), 'confidence', NEW.confidence, 'sources', json(NEW.sources),
    'source_event_id', NEW.source_event_id, 'created', NEW.created, 'updated', NEW.updated));
END;
CREATE TRIGGER incidentmap_audit_delete AFTER DELETE ON incidents
BEGIN
  INSERT INTO incidentmap_audit (actor, remote, action, request_id, incident_id, change, before, after)
  VALUES ((SELECT actor FROM incidentmap_audit_context), (SELECT remote FROM incidentmap_audit_context), (SELECT action FROM incidentmap_audit_context), (SELECT request_id FROM incidentmap_audit_context),
    OLD.id, 'delete', json_object('geom', hex(OLD.geom), 'id', OLD.id, 'event_date', OLD.event_date,
    'event_end_date', OLD.event_end_date, 'date_precision', OLD.date_precision,
    'event_type', OLD.event_type, 'sub_event_type', OLD.sub_event_type, 'actor1', OLD.actor1,
    'actor2', OLD.actor2, 'assoc_actor_1', OLD.assoc_actor_1, 'assoc_actor_2', OLD.assoc_actor_2,
    'inter1', OLD.inter1, 'inter2', OLD.inter2, 'fatalities', OLD.fatalities,
    'civilian_fatalities', OLD.civilian_fatalities, 'injured', OLD.injured,
    'location', OLD.location, 'admin1', OLD.admin1, 'admin2', OLD.admin2, 'country', OLD.country,
    'geo_precision', OLD.geo_precision, 'place_id', OLD.place_id, 'notes', OLD.notes,
    'tags', json(OLD.tags), 'confidence', OLD.confidence, 'sources', json(OLD.sources),
    'source_event_id', OLD.source_event_id, 'created', OLD.created, 'updated', OLD.updated), NULL);
END;
