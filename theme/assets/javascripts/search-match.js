// The merges that matching is made of, over document lists held in typed arrays (ascending), since
// a query can match every report of the archive. No DOM.

export const NONE = { docs: new Uint32Array(0), counts: new Uint32Array(0) };

// Offsets of 3-grams that cover the whole term (each step at most 3), least total cost.
export function cheapestChain(costs) {
  const best = [{ cost: costs[0], path: [0] }];
  for (let offset = 1; offset < costs.length; offset++) {
    let pick = null;
    for (let o = Math.max(0, offset - 3); o < offset; o++) if (!pick || best[o].cost < pick.cost) pick = best[o];
    best.push({ cost: pick.cost + costs[offset], path: [...pick.path, offset] });
  }
  return best[costs.length - 1].path;
}

export function intersect(a, b) {
  if (a.length > b.length) [a, b] = [b, a];
  if (a.length * 16 < b.length) return gallop(a, b);
  const out = new Uint32Array(a.length);
  let i = 0, j = 0, n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else { out[n++] = a[i]; i++; j++; }
  }
  return out.subarray(0, n);
}

// intersect() of a list with one many times longer: each of the short list's documents is
// looked for in the long one.
function gallop(short, long) {
  const out = new Uint32Array(short.length);
  let n = 0;
  for (let i = 0, at = 0; i < short.length && at < long.length; i++) {
    at = seek(long, short[i], at);
    if (long[at] === short[i]) out[n++] = short[i];
  }
  return out.subarray(0, n);
}

// The first position from `low` on where the ascending `docs` reach `doc` (docs.length if none
// does): in steps that double, then halve, so that a near one is found in few.
function seek(docs, doc, low) {
  let high = low, step = 1;
  while (high < docs.length && docs[high] < doc) { low = high + 1; high += step; step *= 2; }
  high = Math.min(high, docs.length);
  while (low < high) {  // docs[low - 1] < doc <= docs[high], where they are
    const middle = (low + high) >> 1;
    if (docs[middle] < doc) low = middle + 1;
    else high = middle;
  }
  return low;
}

// scores[i] += the count of docs[i] in `other` (or `flat` when it is there and counts is null).
export function addCounts(docs, scores, other, counts, flat) {
  if (other === docs) {  // a query of one term
    for (let i = 0; i < docs.length; i++) scores[i] += counts ? counts[i] : flat;
    return;
  }
  if (other.length * 16 < docs.length) {  // a few keywords' reports: each looked for
    for (let j = 0, at = 0; j < other.length && at < docs.length; j++) {
      at = seek(docs, other[j], at);
      if (docs[at] === other[j]) scores[at] += counts ? counts[j] : flat;
    }
    return;
  }
  let j = 0;
  for (let i = 0; i < docs.length; i++) {
    while (j < other.length && other[j] < docs[i]) j++;
    if (j < other.length && other[j] === docs[i]) scores[i] += counts ? counts[j] : flat;
  }
}

// A match over the base records, `base`, without the delta's documents (`replaced`, ascending,
// a few), and with their own matches, `extra`, in their places: the runs of `base` between them
// are copied whole, and not at all when the delta changes nothing here.
export function withDelta(base, replaced, extra) {
  const cuts = [];  // where the replaced documents are in base
  for (const doc of replaced) {
    const at = seek(base.docs, doc, 0);
    if (base.docs[at] === doc) cuts.push(at);
  }
  if (!cuts.length && !extra.docs.length) return base;
  const size = base.docs.length - cuts.length + extra.docs.length;
  const docs = new Uint32Array(size), counts = new Uint32Array(size);
  let from = 0, to = 0, c = 0;
  const copy = (until) => {
    docs.set(base.docs.subarray(from, until), to);
    counts.set(base.counts.subarray(from, until), to);
    to += until - from;
  };
  for (let j = 0; j <= extra.docs.length; j++) {
    const until = j < extra.docs.length ? seek(base.docs, extra.docs[j] + 1, from) : base.docs.length;
    for (; c < cuts.length && cuts[c] < until; c++) { copy(cuts[c]); from = cuts[c] + 1; }
    copy(until);
    from = until;
    if (j < extra.docs.length) { docs[to] = extra.docs[j]; counts[to++] = extra.counts[j]; }
  }
  return { docs, counts };
}

// Places where `term` starts in `text`, overlapping ones too: what the index counts.
export function occurrences(text, term) {
  let count = 0;
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) count++;
  return count;
}

// The candidates where the chain's grams stand at their offsets from one start, with the
// number of such starts. Every list is ascending (documents, and places in a document).
export function phrases(candidates, chain, lists) {
  const docs = new Uint32Array(candidates.length), counts = new Uint32Array(candidates.length);
  const at = new Uint32Array(chain.length);  // per list, the document reached
  let starts = new Int32Array(64), next = new Int32Array(64), n = 0;
  for (const doc of candidates) {
    let size = -1;
    for (let c = 0; c < chain.length && size !== 0; c++) {
      const list = lists[c];
      while (at[c] < list.docs.length && list.docs[at[c]] < doc) at[c]++;
      if (at[c] >= list.docs.length || list.docs[at[c]] !== doc) { size = 0; break; }
      const from = list.starts[at[c]], to = list.starts[at[c] + 1], offset = chain[c];
      if (size < 0) {  // the first list's places, less its offset: the possible starts
        if (to - from > starts.length) { starts = new Int32Array(2 * (to - from)); next = new Int32Array(starts.length); }
        size = 0;
        for (let k = from; k < to; k++) starts[size++] = list.places[k] - offset;
        continue;
      }
      let kept = 0, k = from;
      for (let s = 0; s < size; s++) {
        while (k < to && list.places[k] - offset < starts[s]) k++;
        if (k < to && list.places[k] - offset === starts[s]) next[kept++] = starts[s];
      }
      const swap = starts;
      starts = next;
      next = swap;
      size = kept;
    }
    if (size > 0) { docs[n] = doc; counts[n++] = size; }
  }
  return { docs: docs.subarray(0, n), counts: counts.subarray(0, n) };
}
