package gazetteer

// Each calls fn with every place of the built-in index, countries and admin
// areas included, until fn returns false. Map labels are drawn from it;
// places of an imported GeoNames dump are not included.
func (g *Gazetteer) Each(fn func(p Place) bool) {
	for i := range g.places.Len() {
		if !fn(g.place(int32(i))) {
			return
		}
	}
}
