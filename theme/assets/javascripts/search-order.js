// Filters, order and the filters' options with their counts, over a query's documents. No DOM.

const UNIT_OPTIONS = 10;
export const FACETS = ["unit", "kind", "year", "type"];

// Facets are stored as small codes per document; a year's code is year - year_base (0: unknown).
export function facetValue(index, name, code) {
  return name === "year" && code ? code + index.manifest.year_base : code;
}

function facetCode(index, name, value) {
  return name === "year" && value ? value - index.manifest.year_base : value;
}

export function yearLabel(year) { return year ? `${year}年` : "年份不详"; }

// A value's name; a value the index does not know (from an edited address) as it is.
function facetLabel(index, name, value) {
  if (name === "year") return yearLabel(value);
  const names = { unit: index.unitNames, kind: index.manifest.kinds, type: index.manifest.types }[name];
  return names[value] ?? String(value);
}

// Per filtered facet, its column and the code a document must have there.
function filterTests(index, chosen, except) {
  return Object.entries(chosen).filter(([name]) => name !== except)
    .map(([name, value]) => [index.facets[name], facetCode(index, name, value)]);
}

// `chosen`: a value per filtered facet (a unit's number, a year such as 2013, 0 for unknown).
export function filtered(index, docs, chosen, except) {
  const tests = filterTests(index, chosen, except);
  if (!tests.length) return docs;
  return docs.filter((doc) => tests.every(([column, code]) => column[doc] === code));
}

const PICKED = 64;  // pages up to this many results are picked from all the matches; further on, all are sorted

// The `count` largest of `keys` (distinct numbers), largest first: a heap of `count` keys, so
// a first page costs one pass over a query's documents instead of a sort of all of them.
export function largest(keys, count) {
  const heap = new Float64Array(count);  // the smallest of those kept at the root
  let size = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    let at;
    if (size < count) {
      for (at = size++; at > 0 && heap[(at - 1) >> 1] > key; at = (at - 1) >> 1) heap[at] = heap[(at - 1) >> 1];
    } else if (key > heap[0]) {
      for (at = 0; ;) {
        let child = 2 * at + 1;
        if (child >= size) break;
        if (child + 1 < size && heap[child + 1] < heap[child]) child++;
        if (heap[child] >= key) break;
        heap[at] = heap[child];
        at = child;
      }
    } else {
      continue;
    }
    heap[at] = key;
  }
  return heap.subarray(0, size).sort().reverse();
}

// A query's documents in order, worked out only as far as they are read: the first pages are
// picked from all of them, the whole order is sorted when a later page needs it. Read like an
// array: `length`, `slice()`, iteration. `keys`: a distinct number per document, the first
// document's largest; `docOf(key)` gives the document back.
export class Ranking {
  constructor(keys, docOf) {
    this.keys = keys;
    this.docOf = docOf;
    this.length = keys.length;
    this.first = new Float64Array(0);  // the largest keys, in order
  }

  slice(from = 0, to = this.length) {
    to = Math.min(to, this.length);
    if (to > this.first.length) {
      this.first = to <= PICKED ? largest(this.keys, to) : Float64Array.from(this.keys).sort().reverse();
    }
    return Array.from(this.first.subarray(from, Math.max(from, to)), this.docOf);
  }

  [Symbol.iterator]() { return this.slice()[Symbol.iterator](); }
}

// `docs` (with their `scores`, side by side) that the `chosen` filters keep, in order: by score,
// then the newer year, then index order; or by year first (`byYear`).
export function ordered(index, docs, scores, chosen, byYear) {
  const year = index.facets.yearOrder;  // -1: unknown, sorts last
  const kept = keptPositions(docs, filterTests(index, chosen)), n = kept ? kept.length : docs.length;
  const DOC = 2 ** Math.ceil(Math.log2(index.manifest.docs + 1)), SCORE = 2 ** 24;
  if (DOC > 2 ** 20) return comparedOrder(index, docs, scores, kept ?? docs.map((_, i) => i), byYear);
  // One number per document, compared natively: much quicker than a comparator.
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = kept ? kept[k] : k, doc = docs[i], score = Math.min(scores[i], SCORE - 1), y = year[doc] + 1;
    keys[k] = (byYear ? y * SCORE + score : score * 512 + y) * DOC + (DOC - 1 - doc);
  }
  return new Ranking(keys, (key) => DOC - 1 - (key % DOC));
}

// The positions of the `docs` that pass every test; null when there is none to pass.
function keptPositions(docs, tests) {
  if (!tests.length) return null;
  const kept = new Uint32Array(docs.length);
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    if (tests.every(([column, code]) => column[docs[i]] === code)) kept[n++] = i;
  }
  return kept.subarray(0, n);
}

// Too many documents to pack a key into a double: all are sorted by a comparator at once.
function comparedOrder(index, docs, scores, kept, byYear) {
  const year = index.facets.yearOrder, scoreOf = new Float64Array(index.manifest.docs);
  for (const i of kept) scoreOf[docs[i]] = scores[i];
  const byScoreThenYear = (a, b) => scoreOf[b] - scoreOf[a] || year[b] - year[a] || a - b;
  const byYearThenScore = (a, b) => year[b] - year[a] || scoreOf[b] - scoreOf[a] || a - b;
  const order = Array.from(kept, (i) => docs[i]).sort(byYear ? byYearThenScore : byScoreThenYear);
  return new Ranking(Float64Array.from(order, (_, rank) => order.length - rank), (key) => order[order.length - key]);
}

// The codes a facet holds among `counted`, in the order offered, with their tallies.
function facetCodes(index, name, counted) {
  const column = index.facets[name];
  const tally = new Uint32Array(name === "unit" ? index.manifest.units : 256);
  for (let i = 0; i < counted.length; i++) tally[column[counted[i]]]++;
  let codes = [];
  for (let code = 0; code < tally.length; code++) if (tally[code]) codes.push(code);
  if (name === "year") {
    codes.sort((a, b) => (b || -1) - (a || -1));  // newest first, unknown last
  } else {
    // Most reports first, then by code; one number per value, sorted natively (thousands of units).
    const keys = Float64Array.from(codes, (code) => tally[code] * 2 ** 20 + (2 ** 20 - 1 - code)).sort();
    codes = Array.from(keys, (key) => 2 ** 20 - 1 - (key % 2 ** 20)).reverse();
  }
  return { codes, tally };
}

// Per facet: the values to offer, {value, label, count}, among the results the other filters keep.
export function facetOptions(index, docs, chosen) {
  const options = {};
  for (const name of FACETS) {
    const { codes, tally } = facetCodes(index, name, filtered(index, docs, chosen, name));
    let values = codes.map((code) => facetValue(index, name, code));
    if (name === "unit") values = values.slice(0, UNIT_OPTIONS);
    // A chosen value stays on offer, with its count, though no result has it: the reader sees
    // which filter left nothing.
    if (chosen[name] !== undefined && !values.includes(chosen[name])) values.push(chosen[name]);
    options[name] = values.map((value) => ({
      value, label: facetLabel(index, name, value), count: tally[facetCode(index, name, value)] || 0,
    }));
  }
  return options;
}
