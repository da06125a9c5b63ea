-- The incidents table, its indexes, settings and the audit trail: the
-- GeoPackage store's schema (internal/store/migrations) in PostgreSQL's
-- types. Column names are the public property names of docs/API.md.
--
-- geom is geometry(Geometry, 4326), not geometry(Point, 4326): the API and
-- the imports accept lines, polygons and collections too (an incident
-- along a road, across a district), and the GeoPackage store keeps them;
-- a point column would refuse them. A GiST index serves bbox queries on
-- any of them, and a point's envelope is the point.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE incidents (
  fid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text NOT NULL UNIQUE,
  geom geometry(Geometry, 4326),
  event_date date NOT NULL,
  event_end_date date,
  date_precision text,
  event_type text,
  sub_event_type text,
  actor1 text,
  actor2 text,
  assoc_actor_1 text,
  assoc_actor_2 text,
  inter1 text,
  inter2 text,
  fatalities integer,
  civilian_fatalities integer,
  injured integer,
  location text,
  admin1 text,
  admin2 text,
  country text,
  geo_precision integer,
  place_id text,
  notes text,
  tags jsonb,
  confidence double precision,
  sources jsonb,
  source_event_id text UNIQUE,
  created timestamptz NOT NULL,
  updated timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'published' CHECK (status IN ('unreviewed', 'published', 'rejected')),
  review_note text
);
CREATE INDEX incidents_geom ON incidents USING gist (geom);
CREATE INDEX incidents_event_date ON incidents (event_date, fid);
CREATE INDEX incidents_country ON incidents (country, event_date);
CREATE INDEX incidents_event_type ON incidents (event_type, event_date);
-- The review queue is small next to the published incidents: index it alone.
CREATE INDEX incidents_review ON incidents (status, event_date) WHERE status <> 'published';

-- Settings, such as the generated write token; revision counts committed
-- writes to the incidents (HTTP ETags derive from it).
CREATE TABLE incidentmap_settings (
  key text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO incidentmap_settings (key, value) VALUES ('revision', '0');

-- The audit trail: one row per incident written, with the row before and
-- after as JSON (public property names; geom as a GeoJSON geometry). No
-- foreign key to incidents, so a deleted incident keeps its history. A
-- trigger fills it, so every write is recorded in its own transaction,
-- whoever makes it: the store names its writer in transaction-local
-- settings (incidentmap.actor...); another tool's write is recorded as
-- "external tool". A copy from another store (Load) sets
-- incidentmap.audit to off: its rows are no new changes, and their history
-- is copied with them.
CREATE TABLE incidentmap_audit (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Milliseconds, as every time the store keeps.
  at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  actor text NOT NULL,
  remote text NOT NULL,
  action text NOT NULL,
  request_id text NOT NULL,
  incident_id text NOT NULL,
  change text NOT NULL CHECK (change IN ('insert', 'update', 'delete')),
  before jsonb,
  after jsonb
);
CREATE INDEX incidentmap_audit_incident ON incidentmap_audit (incident_id, seq);

-- A recorded row: times written as the GeoPackage store writes them
-- (incident.TimeLayout), so that both stores' trails read alike.
CREATE FUNCTION incidentmap_audit_row(r incidents) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(r) - 'fid' - 'geom') || jsonb_build_object(
    'geom', ST_AsGeoJSON(r.geom)::jsonb,
    'created', to_char(r.created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'updated', to_char(r.updated AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
$$;

CREATE FUNCTION incidentmap_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('incidentmap.audit', true) = 'off' THEN
    RETURN NULL;
  END IF;
  INSERT INTO incidentmap_audit (actor, remote, action, request_id, incident_id, change, before, after)
  VALUES (
    COALESCE(NULLIF(current_setting('incidentmap.actor', true), ''), 'external tool'),
    COALESCE(current_setting('incidentmap.remote', true), ''),
    COALESCE(NULLIF(current_setting('incidentmap.action', true), ''), 'write'),
    COALESCE(current_setting('incidentmap.request_id', true), ''),
    CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
    lower(TG_OP),
    CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE incidentmap_audit_row(OLD) END,
    CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE incidentmap_audit_row(NEW) END);
  RETURN NULL;
END
$$;
CREATE TRIGGER incidentmap_audit AFTER INSERT OR UPDATE OR DELETE ON incidents
  FOR EACH ROW EXECUTE FUNCTION incidentmap_audit();
