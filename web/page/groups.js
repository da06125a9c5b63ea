// Keeping the server's groups apart on screen: /api/clusters groups
// incidents on a grid of about 64 pixels, but two groups near a shared cell
// edge are drawn closer than their circles are wide. mergeOverlapping
// folds any group that would overlap a bigger one into it, so that no two
// circles cover each other's numbers and the counts still add up.

/**
 * mergeOverlapping takes items [{x, y, count}] in screen pixels and
 * radius(count) in pixels, and returns groups {x, y, count, members} where
 * no two circles come closer than gap. Bigger groups keep their place and
 * absorb the smaller ones that touch them; merging grows a circle, so it
 * repeats until nothing touches (a few passes at most).
 */
export function mergeOverlapping(items, radius, gap = 1) {
  let groups = [...items].sort((a, b) => b.count - a.count).map((it) => ({ x: it.x, y: it.y, count: it.count, members: [it] }));
  for (let pass = 0; pass < 20; pass++) {
    const kept = [];
    let merged = false;
    for (const g of groups) {
      const r = radius(g.count);
      const into = kept.find((k) => Math.hypot(k.x - g.x, k.y - g.y) < radius(k.count) + r + gap);
      if (into) {
        into.count += g.count;
        into.members.push(...g.members);
        merged = true;
      } else {
        kept.push(g);
      }
    }
    groups = kept;
    if (!merged) break;
  }
  return groups;
}
