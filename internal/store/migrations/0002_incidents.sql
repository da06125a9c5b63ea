-- The incidents feature table. Column names are the public property names of
-- docs/API.md, so GIS users see the same vocabulary as API users. tags and
-- sources are JSON arrays in TEXT columns: one row is one feature, which keeps
-- streaming cheap and lets GDAL read the layer without joins.
CREATE TABLE incidents (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  geom GEOMETRY,
  event_date DATE NOT NULL,
  event_end_date DATE,
  date_precision TEXT,
  event_type TEXT,
  sub_event_type TEXT,
  actor1 TEXT,
  actor2 TEXT,
  assoc_actor_1 TEXT,
  assoc_actor_2 TEXT,
  fatalities INTEGER,
  civilian_fatalities INTEGER,
  injured INTEGER,
  location TEXT,
  admin1 TEXT,
  admin2 TEXT,
  country TEXT,
  geo_precision INTEGER,
  place_id TEXT,
  notes TEXT,
  tags TEXT,
  confidence REAL,
  sources TEXT,
  source_event_id TEXT,
  created DATETIME NOT NULL,
  updated DATETIME NOT NULL
);
CREATE INDEX incidents_event_date ON incidents (event_date, fid);
CREATE INDEX incidents_country ON incidents (country, event_date);
CREATE INDEX incidents_event_type ON incidents (event_type, event_date);
CREATE UNIQUE INDEX incidents_source_event_id ON incidents (source_event_id) WHERE source_event_id IS NOT NULL;

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
VALUES ('incidents', 'features', 'incidents', 'Incidents mapped by incidentmap', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('incidents', 'geom', 'GEOMETRY', 4326, 0, 0);

-- Spatial index: GeoPackage gpkg_rtree_index extension (Annex F.3), with the
-- trigger set GDAL 3.6 validates. The ST_* functions are registered in Go.
INSERT INTO gpkg_extensions VALUES ('incidents', 'geom', 'gpkg_rtree_index',
  'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
CREATE VIRTUAL TABLE rtree_incidents_geom USING rtree(id, minx, maxx, miny, maxy);

CREATE TRIGGER rtree_incidents_geom_insert AFTER INSERT ON incidents
  WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_incidents_geom VALUES (
    NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_incidents_geom_update1 AFTER UPDATE OF geom ON incidents
  WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_incidents_geom VALUES (
    NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_incidents_geom_update2 AFTER UPDATE OF geom ON incidents
  WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_incidents_geom WHERE id = OLD.fid;
END;
CREATE TRIGGER rtree_incidents_geom_update3 AFTER UPDATE ON incidents
  WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_incidents_geom WHERE id = OLD.fid;
  INSERT OR REPLACE INTO rtree_incidents_geom VALUES (
    NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_incidents_geom_update4 AFTER UPDATE ON incidents
  WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_incidents_geom WHERE id IN (OLD.fid, NEW.fid);
END;
CREATE TRIGGER rtree_incidents_geom_delete AFTER DELETE ON incidents
  WHEN old.geom NOT NULL
BEGIN
  DELETE FROM rtree_incidents_geom WHERE id = OLD.fid;
END;

-- Settings that travel with the file, such as the generated write token.
CREATE TABLE incidentmap_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- revision counts committed writes; HTTP ETags derive from it.
INSERT INTO incidentmap_settings (key, value) VALUES ('revision', '0');
