// Marker icons placed with 2D transforms. Leaflet places each marker's icon
// with translate3d(), and Chromium gives every element with a 3D transform
// a compositing layer of its own — and then every element painted over one
// of them too (the place names). At 100,000 incidents the world view held
// about 190 such layers (groups, country and place names), each rastered
// and drawn on its own every frame of a pan: most of a pan's frame time
// in a profile (web/e2e/perf.mjs, PERF_PROFILE=1). With translate() the
// icons are painted into their pane's one layer, which moves as a whole.

/* global L */

/**
 * flattenMarkers makes every Leaflet marker (markercluster's groups too,
 * which are markers) place its icon and shadow with a 2D translate(). It
 * replaces Marker's _setPos of Leaflet 1.9 (pinned in package.json), keeping
 * what it does besides: the position Leaflet reads back, and the z-index.
 */
export function flattenMarkers() {
  const place = (el, pos) => {
    el._leaflet_pos = pos; // read back by L.DomUtil.getPosition
    el.style.transform = `translate(${pos.x}px, ${pos.y}px)`;
  };
  L.Marker.include({
    _setPos(pos) {
      if (this._icon) place(this._icon, pos);
      if (this._shadow) place(this._shadow, pos);
      this._zIndex = pos.y + this.options.zIndexOffset;
      this._resetZIndex();
    },
  });
}
