-- The review queue (issue 15). An incident's status says whether readers
-- see it: "published" (imports and incidents made by hand, the default, so
-- every row written before this migration keeps showing), "unreviewed"
-- (extracted from an article by the machine, waiting for a writer) or
-- "rejected" (a writer refused it; review_note keeps why, for the
-- extractor's training).
ALTER TABLE incidents ADD COLUMN status TEXT NOT NULL DEFAULT 'published'
  CHECK (status IN ('unreviewed', 'published', 'rejected'));
ALTER TABLE incidents ADD COLUMN review_note TEXT;
-- The queue is small next to the published incidents: index it alone.
CREATE INDEX incidents_review ON incidents (status, event_date) WHERE status <> 'published';

-- As migration 0004 asks of a new incidents column: the audit triggers are
-- recreated with status and review_note in the row's JSON.
DROP TRIGGER incidentmap_audit_insert;
DROP TRIGGER incidentmap_audit_update;
DROP TRIGGER incidentmap_audit_delete;
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
    'source_event_id', NEW.source_event_id, 'created', NEW.created, 'updated', NEW.updated, 'status', NEW.status, 'review_note', NEW.review_note));
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
    'source_event_id', OLD.source_event_id, 'created', OLD.created, 'updated', OLD.updated, 'status', OLD.status, 'review_note', OLD.review_note),
    json_object('geom', hex(NEW.geom), 'id', NEW.id, 'event_date', NEW.event_date,
    'event_end_date', NEW.event_end_date, 'date_precision', NEW.date_precision,
    'event_type', NEW.event_type, 'sub_event_type', NEW.sub_event_type, 'actor1', NEW.actor1,
    'actor2', NEW.actor2, 'assoc_actor_1', NEW.assoc_actor_1, 'assoc_actor_2', NEW.assoc_actor_2,
    'inter1', NEW.inter1, 'inter2', NEW.inter2, 'fatalities', NEW.fatalities,
    'civilian_fatalities', NEW.civilian_fatalities, 'injured', NEW.injured,
    'location', NEW.location, 'admin1', NEW.admin1, 'admin2', NEW.admin2, 'country', NEW.country,
    'geo_precision', NEW.geo_precision, 'place_id', NEW.place_id, 'notes', NEW.notes,
    'tags', json(NEW.tags), 'confidence', NEW.confidence, 'sources', json(NEW.sources),
    'source_event_id', NEW.source_event_id, 'created', NEW.created, 'updated', NEW.updated, 'status', NEW.status, 'review_note', NEW.review_note));
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
    'source_event_id', OLD.source_event_id, 'created', OLD.created, 'updated', OLD.updated, 'status', OLD.status, 'review_note', OLD.review_note), NULL);
END;
