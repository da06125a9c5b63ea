// How the page writes numbers: every count in the status line, the list,
// the legend, the histogram and on the map goes through these, so that
// "16,391" never stands beside "99688" and one incident is never "1 incidents".

const NUMBER = new Intl.NumberFormat('en');

/** count writes a whole number with thousands separators: 16391 → "16,391". */
export function count(n) {
  return NUMBER.format(n);
}

/** plural writes a count with its noun: plural(1, 'incident') → "1 incident", plural(2, …) → "2 incidents". */
export function plural(n, noun, nouns = `${noun}s`) {
  return `${count(n)} ${n === 1 ? noun : nouns}`;
}

/**
 * compactCount writes a count in at most four characters, for the group
 * circles on the map: 950, 1.2k, 16k, 1.1M. Each step rounds down, so a
 * group never shows more than it holds ("0k" and "1000" cannot occur).
 */
export function compactCount(n) {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${trimZero(Math.floor(n / 100) / 10)}k`;
  if (n < 1_000_000) return `${Math.floor(n / 1000)}k`;
  if (n < 10_000_000) return `${trimZero(Math.floor(n / 100_000) / 10)}M`;
  return `${Math.floor(n / 1_000_000)}M`;
}

function trimZero(x) {
  return x.toFixed(1).replace(/\.0$/, '');
}
