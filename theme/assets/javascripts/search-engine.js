// The archive's search engine: answers queries from the chunked n-gram index written by
// generator/search/index.py, by the matching rule of generator/search/query.py. It has no DOM:
// it is given a function that fetches an index file, so the search page, the header box and
// `node --test` (tests/engine/) run the same code.
//
// An index updated in place (generator/search/delta.py) has a delta: a few documents, dropped from
// every record and matched in their own texts, which are fetched once, beside the first shards.

const SHORT_PHRASE_GRAMS = 3;
const UNIT_OPTIONS = 10;
const KEYWORD_WEIGHT = 20;  // a term that jieba found characteristic of a report weighs like many matches
export const FACETS = ["unit", "kind", "year", "type"];

// ---- index files ----

function shardOf(gram, shards) {
  let h = 2166136261;
  for (const char of gram) { h ^= char.codePointAt(0); h = Math.imul(h, 16777619) >>> 0; }
  return h & (shards - 1);
}

class Varints {
  constructor(bytes) { this.bytes = bytes; this.at = 0; }
  read() {
    let value = 0, scale = 1, byte;
    do { byte = this.bytes[this.at++]; value += (byte & 0x7f) * scale; scale *= 128; } while (byte >= 0x80);
    return value;
  }
  gram() {
    let gram = "";
    for (let n = this.read(); n > 0; n--) gram += String.fromCodePoint(this.read());
    return gram;
  }
}

// A shard is scanned for the one record asked for; the others are skipped without decoding.
function skipVarints(bytes, at, n) {
  while (n > 0) if (bytes[at++] < 0x80) n--;
  return at;
}

// Gram records come first in a shard of family "d" or "p"; a 0 where a record would start marks
// the keyword records. Returns the number of documents in `gram`'s record, the reader at the
// first of them; -1 when the shard has none (the reader then at the keyword records, if any).
function seekRecord(reader, gram, family) {
  const bytes = reader.bytes;
  while (reader.at < bytes.length && bytes[reader.at]) {
    const key = reader.gram();
    const count = reader.read();
    if (key === gram) return count;
    if (family === "d") {  // document numbers, then counts
      reader.at = skipVarints(bytes, reader.at, 2 * count);
      continue;
    }
    for (let i = 0; i < count; i++) {  // per document: its number, how many places, the places
      reader.read();
      const many = reader.read();
      reader.at = skipVarints(bytes, reader.at, many);
    }
  }
  return -1;
}

function readDocList(bytes, gram) {
  const reader = new Varints(bytes);
  const count = seekRecord(reader, gram, "d");
  if (count < 0) return null;
  const docs = new Uint32Array(count), counts = new Uint32Array(count);
  for (let i = 0, doc = 0; i < count; i++) { doc += reader.read(); docs[i] = doc; }
  for (let i = 0; i < count; i++) counts[i] = reader.read();
  return { docs, counts };
}

// A record without the delta's documents, or null when none is left.
function withoutReplaced(record, replaced) {
  if (!record) return null;
  const docs = new Uint32Array(record.docs.length), counts = new Uint32Array(docs.length);
  let n = 0;
  for (let i = 0; i < record.docs.length; i++) {
    if (!replaced[record.docs[i]]) { docs[n] = record.docs[i]; counts[n++] = record.counts[i]; }
  }
  return n ? { docs: docs.subarray(0, n), counts: counts.subarray(0, n) } : null;
}

// A gram's positions in the `wanted` documents (ascending) that hold it: document i of
// `docs` has places[starts[i] .. starts[i + 1]). Typed arrays: thousands of documents.
function readPositions(bytes, gram, wanted, replaced) {
  const reader = new Varints(bytes);
  const count = seekRecord(reader, gram, "p");
  if (count < 0) return { docs: new Uint32Array(0), starts: new Uint32Array(1), places: new Uint32Array(0) };
  const docs = new Uint32Array(Math.min(count, wanted.length)), starts = new Uint32Array(docs.length + 1);
  const places = new Uint32Array(bytes.length - reader.at);  // a place takes a byte at least
  let n = 0, filled = 0, w = 0;
  for (let i = 0, doc = 0; i < count; i++) {
    doc += reader.read();
    const many = reader.read();
    while (w < wanted.length && wanted[w] < doc) w++;
    if (w < wanted.length && wanted[w] === doc && !(replaced && replaced[doc])) {
      for (let j = 0, place = 0; j < many; j++) { place += reader.read(); places[filled++] = place; }
      docs[n++] = doc;
      starts[n] = filled;
    } else {
      reader.at = skipVarints(bytes, reader.at, many);
    }
  }
  return { docs: docs.subarray(0, n), starts: starts.subarray(0, n + 1), places };
}

// A 3-gram's documents with their counts, read from its positions record (places skipped).
function readPositionCounts(bytes, gram) {
  const reader = new Varints(bytes);
  const count = seekRecord(reader, gram, "p");
  if (count < 0) return null;
  const docs = new Uint32Array(count), counts = new Uint32Array(count);
  for (let i = 0, doc = 0; i < count; i++) {
    doc += reader.read();
    docs[i] = doc;
    counts[i] = reader.read();
    reader.at = skipVarints(bytes, reader.at, counts[i]);
  }
  return { docs, counts };
}

// The documents that have `term` among their keywords: its record after the gram records of the
// shard a query for it fetches anyway (generator/search/index.py, keyword_home).
function readKeywords(bytes, term, family) {
  const reader = new Varints(bytes);
  seekRecord(reader, null, family);
  reader.at++;
  while (reader.at < bytes.length) {
    const found = reader.gram();
    const count = reader.read();
    if (found !== term) { reader.at = skipVarints(bytes, reader.at, count); continue; }
    const docs = new Uint32Array(count);
    for (let i = 0, doc = 0; i < count; i++) { doc += reader.read(); docs[i] = doc; }
    return docs;
  }
  return null;
}

// The same fold over UTF-16 code units, for folding whole report texts quickly.
function codeUnitTable(from, to) {
  const table = new Uint16Array(65536);
  for (let unit = 0; unit < 65536; unit++) table[unit] = unit;
  from.forEach((char, i) => {
    if (char.length === 1 && to[i].length === 1) table[char.charCodeAt(0)] = to[i].charCodeAt(0);
  });
  return table;
}

function parseFacets(manifest, bytes) {
  const docs = manifest.docs, units = manifest.units;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const unitOf = new Uint32Array(docs);
  const kindOf = new Uint8Array(docs);
  let at = 0;
  const starts = [];
  for (let u = 0; u <= units; u++, at += 4) starts.push(view.getUint32(at, true));
  const unitKind = bytes.subarray(at, at + units); at += units;
  const years = bytes.subarray(at, at + docs); at += docs;
  const types = bytes.subarray(at, at + docs);
  for (let u = 0; u < units; u++) {
    for (let d = starts[u]; d < starts[u + 1]; d++) { unitOf[d] = u; kindOf[d] = unitKind[u]; }
  }
  const yearOrder = new Int16Array(docs);  // unknown years sort last
  for (let d = 0; d < docs; d++) yearOrder[d] = years[d] ? years[d] : -1;
  return { unit: unitOf, kind: kindOf, year: years, type: types, yearOrder };
}

// The delta's documents (ascending) and a flag per document; null for a full index.
function parseDelta(manifest) {
  const delta = manifest.delta;
  if (!delta) return null;
  const replaced = new Uint8Array(manifest.docs);
  for (const doc of delta.docs) replaced[doc] = 1;
  return { docs: delta.docs, replaced };
}

// ---- matching: merges over typed arrays, since a query can match every report ----

const NONE = { docs: new Uint32Array(0), counts: new Uint32Array(0) };

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

function intersect(a, b) {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let i = 0, j = 0, n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else { out[n++] = a[i]; i++; j++; }
  }
  return out.subarray(0, n);
}

// scores[i] += the count of docs[i] in `other` (or `flat` when it is there and counts is null).
function addCounts(docs, scores, other, counts, flat) {
  let j = 0;
  for (let i = 0; i < docs.length; i++) {
    while (j < other.length && other[j] < docs[i]) j++;
    if (j < other.length && other[j] === docs[i]) scores[i] += counts ? counts[j] : flat;
  }
}

// Two matches of disjoint documents, as one (ascending).
function union(a, b) {
  if (!b.docs.length) return a;
  if (!a.docs.length) return b;
  const docs = new Uint32Array(a.docs.length + b.docs.length), counts = new Uint32Array(docs.length);
  for (let i = 0, j = 0, n = 0; n < docs.length; n++) {
    const fromA = j >= b.docs.length || (i < a.docs.length && a.docs[i] < b.docs[j]);
    docs[n] = fromA ? a.docs[i] : b.docs[j];
    counts[n] = fromA ? a.counts[i++] : b.counts[j++];
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
function phrases(candidates, chain, lists) {
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
      [starts, next] = [next, starts];
      size = kept;
    }
    if (size > 0) { docs[n] = doc; counts[n++] = size; }
  }
  return { docs: docs.subarray(0, n), counts: counts.subarray(0, n) };
}

// ---- order and facets ----

// Facets are stored as small codes per document; a year's code is year - year_base (0: unknown).
function facetValue(index, name, code) {
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
function filtered(index, docs, chosen, except) {
  const tests = Object.entries(chosen).filter(([name]) => name !== except)
    .map(([name, value]) => [index.facets[name], facetCode(index, name, value)]);
  if (!tests.length) return docs;
  return docs.filter((doc) => tests.every(([column, code]) => column[doc] === code));
}

// By score, then the newer year, then index order; or by year first (`byYear`).
function ordered(index, docs, scoreOf, byYear) {
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
function facetOptions(index, docs, chosen) {
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

// ---- snippets ----

const utf16 = new TextDecoder("utf-16le");
function foldText(index, text) {
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = index.foldUnits[text.charCodeAt(i)];
  return utf16.decode(units);
}

// The first place of a term, in the report's body if it has one there, else in its title and labels.
function firstMatch(folded, bodyStart, wanted) {
  for (const from of [bodyStart, 0]) {
    for (const term of wanted) {
      const at = folded.indexOf(term, from);
      if (at >= 0) return at;
    }
  }
  return -1;
}

// The passage around the first match, within its line: [text, marked] parts, and whether the
// line goes on before and after it. Text is sliced from `text` as shown, never folded.
function snippetParts(index, text, bodyStart, wanted) {
  const folded = foldText(index, text);
  const at = firstMatch(folded, bodyStart, wanted);
  const lineStart = folded.lastIndexOf("\n", at) + 1;
  let lineEnd = folded.indexOf("\n", at);
  if (lineEnd < 0) lineEnd = folded.length;
  const from = Math.max(lineStart, at - 40), to = Math.min(lineEnd, at + 100);
  const marks = [];
  for (const term of wanted) {
    for (let i = folded.indexOf(term, from); i >= 0 && i < to; i = folded.indexOf(term, i + term.length)) {
      marks.push([i, Math.min(to, i + term.length)]);
    }
  }
  marks.sort((a, b) => a[0] - b[0]);
  const parts = [];
  let cursor = from;
  for (const [start, end] of marks) {
    if (start < cursor) continue;
    if (start > cursor) parts.push([text.slice(cursor, start), false]);
    parts.push([text.slice(start, end), true]);
    cursor = end;
  }
  if (to > cursor) parts.push([text.slice(cursor, to), false]);
  return { parts, before: from > lineStart, after: to < lineEnd, at };
}

function anchorAt(sections, at) {
  let anchor = "";
  for (const [start, name] of sections) if (start <= at) anchor = name;
  return anchor;
}

// ---- the engine ----

// Records are read from a shard's bytes by these, per family.
const RECORD_READERS = { d: readDocList, p: readPositionCounts };

export class SearchEngine {
  // `fetchFile(path, {priority})` fetches a file of the index (a path under search/) and gives
  // a Response: fetch() in a page, a file read into `new Response(bytes)` under Node.
  constructor(fetchFile) {
    this.fetchFile = fetchFile;
    this.files = new Map();  // path -> its content, every file fetched once
    this.docLists = new Map();  // kept, since queries typed letter by letter share grams
    this.deltaTexts = new Map();
    this.starting = null;
    this.index = null;  // once ready
    this.titleTable = null;
  }

  // ---- files ----

  load(path, as, priority = "auto") {
    if (!this.files.has(path)) {
      const loading = this.fetchFile(path, { priority }).then(async (response) => {
        if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
        if (as === "json") return response.json();
        if (as === "gzip" || as === "gzip-json") {  // inflated as it arrives
          const stream = new Response(response.body.pipeThrough(new DecompressionStream("gzip")));
          return as === "gzip" ? new Uint8Array(await stream.arrayBuffer()) : JSON.parse(await stream.text());
        }
        return new Uint8Array(await response.arrayBuffer());
      });
      this.files.set(path, loading);
      loading.catch(() => this.files.delete(path));  // a failed download is tried again when next needed
    }
    return this.files.get(path);
  }

  // A report's text, title, link and sections (generator/search/index.py, text_file).
  text(doc) { return this.load(`text/${doc}.bin`, "gzip-json"); }

  // The index's first files, read; asked for once (again after a failure).
  ready() {
    if (!this.starting) {
      const manifest = this.load("manifest.json", "json");
      // The delta's texts are asked for at once: the first query needs them with its shards.
      manifest.then((m) => { for (const doc of m.delta ? m.delta.docs : []) this.text(doc).catch(() => {}); },
                    () => {});
      this.titles().catch(() => {});
      this.starting = Promise.all([manifest, this.load("fold.json", "json"),
                                   this.load("facets.bin", "gzip"), this.load("units.bin", "gzip-json")])
        .then(([manifest, fold, facets, unitNames]) => {
          const table = new Map();
          const from = Array.from(fold.from), to = Array.from(fold.to);
          from.forEach((char, i) => table.set(char, to[i]));
          this.index = { manifest, fold: table, foldUnits: codeUnitTable(from, to),
                         facets: parseFacets(manifest, facets), unitNames, delta: parseDelta(manifest) };
          return this.index;
        });
      this.starting.catch(() => { this.starting = null; });  // a failed start is tried again at the next query
    }
    return this.starting;
  }

  // Every report's id and title, fetched once (at low priority) from the first query on: results
  // are then shown as soon as they are known, their snippets following.
  titles() {
    if (!this.titleTable) {
      this.titleTable = this.load("docs.bin", "gzip-json", "low").then((table) => {
        const ids = table.ids.split("\n"), names = table.titles.split("\n");
        // A title names its unit by \u0001 (generator/search/index.py, UNIT_SLOT).
        return { id: (doc) => ids[doc], title: (doc, unit) => names[doc].split("\u0001").join(unit),
                 url: (doc) => table.links[doc] ?? table.url.split("{id}").join(ids[doc]) };
      });
      this.titleTable.catch(() => { this.titleTable = null; });
    }
    return this.titleTable;
  }

  // ---- records ----

  // The d/ or p/ shard `gram` hashes to, published gzipped (generator/search/index.py, shard_file).
  #shard(family, gram) {
    return this.load(`${family}/${shardOf(gram, this.index.manifest[`${family}_shards`])}.bin`, "gzip");
  }

  // A gram's documents with their counts, from its shard of `family`, without the delta's documents.
  #docList(family, gram) {
    const key = `${family}\u0000${gram}`;
    if (!this.docLists.has(key)) {
      const read = RECORD_READERS[family], delta = this.index.delta;
      const record = this.#shard(family, gram).then((bytes) =>
        (delta ? withoutReplaced(read(bytes, gram), delta.replaced) : read(bytes, gram)));
      this.docLists.set(key, record);
      record.catch(() => this.docLists.delete(key));
    }
    return this.docLists.get(key);
  }

  #keywordDocs(term) {
    const chars = Array.from(term);
    const [family, gram] = chars.length <= 3 ? ["d", term] : ["p", chars.slice(0, 3).join("")];
    return this.#shard(family, gram).then((bytes) => readKeywords(bytes, term, family));
  }

  async #positions(gram, wanted) {
    const delta = this.index.delta;
    return readPositions(await this.#shard("p", gram), gram, wanted, delta && delta.replaced);
  }

  // ---- matching: exactly the documents that contain every term ----

  // Character by character, as the index folds (a character may be beyond the 16-bit range).
  #fold(text) {
    let folded = "";
    for (const char of text) folded += this.index.fold.get(char) ?? char;
    return folded;
  }

  async #match(term) {
    if (!this.index.delta) return this.#baseMatch(term);
    const [found, extra] = await Promise.all([this.#baseMatch(term), this.#deltaMatch(term)]);
    return union(found, extra);
  }

  // The delta's documents that contain `term`, counted as their records would count it.
  async #deltaMatch(term) {
    const delta = this.index.delta;
    const texts = await Promise.all(delta.docs.map((doc) => {
      if (!this.deltaTexts.has(doc)) {
        const folded = this.text(doc).then((text) => this.#fold(text.t));
        this.deltaTexts.set(doc, folded);
        folded.catch(() => this.deltaTexts.delete(doc));
      }
      return this.deltaTexts.get(doc);
    }));
    const docs = [], counts = [];
    texts.forEach((text, i) => {
      const count = occurrences(text, term);
      if (count) { docs.push(delta.docs[i]); counts.push(count); }
    });
    return { docs: Uint32Array.from(docs), counts: Uint32Array.from(counts) };
  }

  async #baseMatch(term) {
    const chars = Array.from(term);
    if (chars.length <= 3) return (await this.#docList("d", term)) || NONE;
    const grams = chars.slice(0, -2).map((_, i) => chars.slice(i, i + 3).join(""));
    // A short phrase reads its grams' document lists from their position records, one shard
    // per gram instead of two: here a request costs more than its bytes.
    const family = grams.length <= SHORT_PHRASE_GRAMS ? "p" : "d";
    // Every chain starts with the first 3-gram and ends with the last: their positions are
    // fetched with the document lists, saving a round trip.
    for (const gram of [grams[0], grams[grams.length - 1]]) {
      this.#shard("p", gram).catch(() => {});  // awaited, if needed, below
    }
    const records = await Promise.all(grams.map((gram) => this.#docList(family, gram)));
    if (records.some((r) => !r)) return NONE;
    let candidates = records[0].docs;
    for (const record of records.slice(1)) candidates = intersect(candidates, record.docs);
    if (!candidates.length) return NONE;
    const chain = cheapestChain(records.map((r) => r.counts.reduce((a, b) => a + b, 0)));
    const lists = await Promise.all(chain.map((offset) => this.#positions(grams[offset], candidates)));
    return phrases(candidates, chain, lists);
  }

  // The documents that contain every term (ascending), with their number of matches and their
  // scores: the matches, plus a weight for each term that is one of the report's keywords.
  async search(query) {
    await this.ready();
    const wanted = this.#fold(query).split(/\s+/).filter(Boolean);
    if (!wanted.length) return { terms: wanted, docs: new Uint32Array(0), counts: new Float64Array(0), scores: new Float64Array(0) };
    const [matches, keywords] = await Promise.all([
      Promise.all(wanted.map((term) => this.#match(term))),
      Promise.all(wanted.map((term) => this.#keywordDocs(term))),
    ]);
    let docs = matches[0].docs;
    for (const found of matches.slice(1)) docs = intersect(docs, found.docs);
    const counts = new Float64Array(docs.length), scores = new Float64Array(docs.length);
    matches.forEach((found, i) => {
      addCounts(docs, counts, found.docs, found.counts, 0);
      if (keywords[i]) addCounts(docs, scores, keywords[i], null, KEYWORD_WEIGHT);
    });
    for (let i = 0; i < docs.length; i++) scores[i] += counts[i];
    return { terms: wanted, docs, counts, scores };
  }

  // A query's results, filtered and in order: `filters` a value per facet (see filtered()),
  // `sort` "relevance" or "year"; `matched` counts them before the filters, `facets()` the
  // filters' options, when wanted.
  async results(query, { filters = {}, sort = "relevance" } = {}) {
    const { terms, docs: all, scores } = await this.search(query);
    const index = this.index;
    const scoreOf = new Float64Array(index.manifest.docs);
    all.forEach((doc, i) => { scoreOf[doc] = scores[i]; });
    const docs = ordered(index, filtered(index, all, filters), scoreOf, sort === "year");
    return { terms, docs, matched: all.length, facets: () => facetOptions(index, all, filters) };
  }

  // ---- what a result shows ----

  #hit(doc, id, title, url) {
    const index = this.index;
    const year = facetValue(index, "year", index.facets.year[doc]);
    return { doc, id, title, url, unit: index.unitNames[index.facets.unit[doc]], year,
             yearLabel: yearLabel(year), type: index.manifest.types[index.facets.type[doc]] };
  }

  // What each of `docs` shows: its id, title, link (relative to the site's root) and facets. At
  // once when the titles are there; else once the texts are, which then come along (`text`).
  async hits(docs) {
    const index = await this.ready();
    const table = this.titleTable && await this.titleTable.catch(() => null);
    if (table) {
      return docs.map((doc) => this.#hit(doc, table.id(doc),
        table.title(doc, index.unitNames[index.facets.unit[doc]]), table.url(doc)));
    }
    const texts = await Promise.all(docs.map((doc) => this.text(doc)));
    return texts.map((text, i) => ({ ...this.#hit(docs[i], text.r, text.h, text.u), text }));
  }

  // The passage of a report's text (from text()) around the first of `wanted`, as parts
  // [text, marked], and the link to the section holding it. Once ready.
  snippet(text, wanted) {
    const { parts, before, after, at } = snippetParts(this.index, text.t, text.b, wanted);
    const anchor = anchorAt(text.s, at);
    return { parts, before, after, url: anchor ? `${text.u}#${anchor}` : text.u };
  }
}
