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

// `chosen`: a value per filtered facet (a unit's number, a year such as 2013, 0 for unknown).
export function filtered(index, docs, chosen, except) {
  const tests = Object.entries(chosen).filter(([name]) => name !== except)
    .map(([name, value]) => [index.facets[name], facetCode(index, name, value)]);
  if (!tests.length) return docs;
  return docs.filter((doc) => tests.every(([column, code]) => column[doc] === code));
}

// By score, then the newer year, then index order; or by year first (`byYear`).
export function ordered(index, docs, scoreOf, byYear) {
  const year = index.facets.yearOrder;  // -1: unknown, sorts last
  const DOC = 2 ** Math.ceil(Math.log2(index.manifest.docs + 1)), SCORE = 2 ** 24;
  if (DOC > 2 ** 20) {  // too many documents to pack a key into a double: compare instead
    const byScoreThenYear = (a, b) => scoreOf[b] - scoreOf[a] || year[b] - year[a] || a - b;
    const byYearThenScore = (a, b) => year[b] - year[a] || scoreOf[b] - scoreOf[a] || a - b;
    return Array.from(docs).sort(byYear ? byYearThenScore : byScoreThenYear);
  }
  // One number per document, sorted natively: much quicker than a comparator.
  const keys = new Float64Array(docs.length);
  docs.forEach((doc, i) => {
    const score = Math.min(scoreOf[doc], SCORE - 1), y = year[doc] + 1;
    keys[i] = (byYear ? y * SCORE + score : score * 512 + y) * DOC + (DOC - 1 - doc);
  });
  keys.sort();
  const order = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) order[i] = DOC - 1 - (keys[keys.length - 1 - i] % DOC);
  return order;
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
