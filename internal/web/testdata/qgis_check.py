"""What QGIS (PyQGIS, headless) makes of an incidentmap server.

Usage: qgis_check.py BASE_URL POINTS_JSON BOX_JSON
  POINTS_JSON is a list of [lon, lat] where incidents are; BOX_JSON a
  [minlon, minlat, maxlon, maxlat] box to count features in.

Prints one JSON object: for each OGC API - Features collection (incidents,
places) whether QGIS finds the layer valid, its fields, the feature count
it reports and the features it reads in the box; for the vector tile layer /tiles/incidents/{z}/{x}/{y}.mvt whether it
is valid, and how many of the incidents' places are drawn on a map rendered
from its tiles (and how many empty places, away from any, stay blank).
"""
import json
import sys
import time

from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFeatureRequest,
                       QgsMapRendererSequentialJob, QgsMapSettings, QgsMarkerSymbol,
                       QgsPointXY, QgsProject, QgsRectangle, QgsVectorLayer,
                       QgsVectorTileBasicRenderer, QgsVectorTileBasicRendererStyle,
                       QgsVectorTileLayer, QgsWkbTypes)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def collection(base, name, box):
    # restrictToRequestBBOX: "only request features overlapping the view
    # extent", as a user sets it for a large layer; without it QGIS reads
    # the whole collection (228,875 places) before it filters.
    uri = "url='%s/ogc' typename='%s' restrictToRequestBBOX='1'" % (base, name)
    layer = QgsVectorLayer(uri, name, "OAPIF")
    out = {"valid": layer.isValid()}
    if layer.isValid():
        out["fields"] = [f.name() for f in layer.fields()]
        out["count"] = layer.featureCount()
        request = QgsFeatureRequest().setFilterRect(QgsRectangle(*box))
        out["in_box"] = sum(1 for _ in layer.getFeatures(request))
        out["geometry"] = QgsWkbTypes.displayString(layer.wkbType())
    else:
        out["error"] = layer.error().summary()
    return out


def tiles(base, points):
    url = base + "/tiles/incidents/{z}/{x}/{y}.mvt"
    layer = QgsVectorTileLayer("type=xyz&url=%s&zmin=0&zmax=24" % url, "incident tiles")
    out = {"valid": layer.isValid(), "source": layer.source()}
    if not layer.isValid():
        return out
    symbol = QgsMarkerSymbol.createSimple({"color": "255,0,0", "size": "2", "outline_style": "no"})
    style = QgsVectorTileBasicRendererStyle("incidents", "incidents", QgsWkbTypes.PointGeometry)
    style.setSymbol(symbol)
    renderer = QgsVectorTileBasicRenderer()
    renderer.setStyles([style])
    layer.setRenderer(renderer)

    merc = QgsCoordinateReferenceSystem("EPSG:3857")
    wgs = QgsCoordinateReferenceSystem("EPSG:4326")
    to_merc = QgsCoordinateTransform(wgs, merc, QgsProject.instance())
    lo = to_merc.transform(QgsPointXY(60, 28))
    hi = to_merc.transform(QgsPointXY(72, 38))
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(merc)
    settings.setOutputSize(QSize(800, 800))
    settings.setExtent(QgsRectangle(lo, hi))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    m2p = settings.mapToPixel()

    def red_near(lon, lat):
        p = m2p.transform(to_merc.transform(QgsPointXY(lon, lat)))
        x, y = int(round(p.x())), int(round(p.y()))
        for dx in range(-2, 3):
            for dy in range(-2, 3):
                c = QColor(image.pixel(x + dx, y + dy))
                if c.red() > 200 and c.green() < 80 and c.blue() < 80:
                    return True
        return False

    out["drawn"] = sum(1 for lon, lat in points if red_near(lon, lat))
    blanks = [(60.5, 37.5), (71.5, 28.5), (60.5, 28.5), (71.5, 37.8)]
    out["blank_checked"] = len(blanks)
    out["blank"] = sum(1 for lon, lat in blanks if not red_near(lon, lat))
    out["errors"] = job.errors() and [e.message for e in job.errors()] or []
    return out


def main():
    base, points, box = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    result = {"qgis": __import__("qgis.core").core.Qgis.QGIS_VERSION}
    for name in ("incidents", "places"):
        start = time.monotonic()
        result[name] = collection(base, name, box)
        result[name]["seconds"] = round(time.monotonic() - start, 1)
    start = time.monotonic()
    result["tiles"] = tiles(base, points)
    result["tiles"]["seconds"] = round(time.monotonic() - start, 1)
    print(json.dumps(result))
    app.exitQgis()


main()
