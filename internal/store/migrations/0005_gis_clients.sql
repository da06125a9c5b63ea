-- What GDAL and QGIS show of the file (issue 14).
--
-- Layers. GDAL lists every table that gpkg_contents does not register
-- (incidentmap_schema, incidentmap_settings, the keys, the audit trail, the
-- ingested articles, an imported gazetteer...) unless the file registers at
-- least one table as 'attributes' (GDAL's LIST_ALL_TABLES=AUTO rule, which
-- QGIS follows). The one internal table worth a GIS user's look is the
-- change history, so it is registered, as a read-only view: who changed
-- which incident, when, by which action. The client's address and the rows
-- before and after stay out of it (`incidentmap audit` shows them). Every
-- other internal table, present or future, is then hidden without being
-- listed anywhere.
CREATE VIEW incidentmap_changes AS
  SELECT seq, at, actor, action, request_id, incident_id, change FROM incidentmap_audit;
INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
VALUES ('incidentmap_changes', 'attributes', 'incident changes',
  'Who changed which incident, when and how (read-only)');

-- Feature count. GDAL keeps each layer's row count in gpkg_ogr_contents so
-- that it need not count the table on every open; QGIS reads the count
-- through GDAL. The two triggers carry the names GDAL looks for: GDAL
-- trusts the stored count only when both exist, and drops and recreates
-- them by these names around its own bulk writes.
CREATE TABLE gpkg_ogr_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  feature_count INTEGER DEFAULT NULL
);
INSERT INTO gpkg_ogr_contents (table_name, feature_count)
  SELECT 'incidents', COUNT(*) FROM incidents;
CREATE TRIGGER trigger_insert_feature_count_incidents AFTER INSERT ON incidents
BEGIN
  UPDATE gpkg_ogr_contents SET feature_count = feature_count + 1
  WHERE lower(table_name) = lower('incidents');
END;
CREATE TRIGGER trigger_delete_feature_count_incidents AFTER DELETE ON incidents
BEGIN
  UPDATE gpkg_ogr_contents SET feature_count = feature_count - 1
  WHERE lower(table_name) = lower('incidents');
END;
