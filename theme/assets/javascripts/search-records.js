// Reading the search index's files (generator/search/index.py and files.py write them;
// generator/search/query.py reads them the same way): shards of varint records, facets, the delta. No DOM.


export function shardOf(gram, shards) {
  let h = 2166136261;
  for (const char of gram) { h ^= char.codePointAt(0); h = Math.imul(h, 16777619) >>> 0; }
  return h & (shards - 1);
}

class Varints {
  constructor(bytes, at = 0) { this.bytes = bytes; this.at = at; }
  read() {
    const first = this.bytes[this.at++];
    if (first < 0x80) return first;  // most numbers: deltas, counts, places
    let value = first & 0x7f, scale = 128, byte;
    do { byte = this.bytes[this.at++]; value += (byte & 0x7f) * scale; scale *= 128; } while (byte >= 0x80);
    return value;
  }
  gram() {
    let gram = "";
    for (let n = this.read(); n > 0; n--) gram += String.fromCodePoint(this.read());
    return gram;
  }
}

// Skips `n` varints from `at`; returns where the next starts.
function skipVarints(bytes, at, n) {
  while (n > 0) if (bytes[at++] < 0x80) n--;
  return at;
}

// Where a shard's records start. Gram records come first in a shard of family "d" or "p"; a 0
// where a record would start marks the keyword records. A shard is scanned only as far as the
// gram asked for, without decoding the records passed, and what was passed is remembered: the
// next gram, the keywords or the positions read from the same shard start where they are.
class ShardRecords {
  constructor(bytes, family) {
    this.bytes = bytes;
    this.family = family;
    this.starts = new Map();  // gram -> where its number of documents is
    this.scanned = 0;  // where the next record not yet passed starts
    this.keywords = -1;  // where the keyword records start, once reached
  }

  // Where `gram`'s record has its number of documents; -1 when the shard has none.
  find(gram) {
    const known = this.starts.get(gram);
    if (known !== undefined) return known;
    const bytes = this.bytes, reader = new Varints(bytes, this.scanned);
    while (this.keywords < 0) {
      if (reader.at >= bytes.length || !bytes[reader.at]) { this.keywords = reader.at + 1; break; }
      const key = reader.gram(), start = reader.at;
      this.starts.set(key, start);
      reader.at = this.scanned = this.#skipRecord(reader);
      if (key === gram) return start;
    }
    return -1;
  }

  #skipRecord(reader) {
    const bytes = this.bytes, count = reader.read();
    if (this.family === "d") return skipVarints(bytes, reader.at, 2 * count);  // numbers, then counts
    let at = reader.at;
    for (let i = 0; i < count; i++) {  // per document: its number, how many places, the places
      while (bytes[at++] >= 0x80);
      reader.at = at;
      for (let many = reader.read(); many > 0;) if (bytes[reader.at++] < 0x80) many--;
      at = reader.at;
    }
    return at;
  }
}

const shardRecords = new WeakMap();  // a shard's bytes -> its ShardRecords

function recordsOf(bytes, family) {
  let records = shardRecords.get(bytes);
  if (!records) shardRecords.set(bytes, records = new ShardRecords(bytes, family));
  return records;
}

// A gram's documents (ascending) with their counts, from a d/ shard; null when it has none.
export function readDocList(bytes, gram) {
  const start = recordsOf(bytes, "d").find(gram);
  if (start < 0) return null;
  const reader = new Varints(bytes, start), count = reader.read();
  const docs = new Uint32Array(count), counts = new Uint32Array(count);
  for (let i = 0, doc = 0; i < count; i++) { doc += reader.read(); docs[i] = doc; }
  for (let i = 0; i < count; i++) counts[i] = reader.read();
  return { docs, counts };
}

// A 3-gram's documents with their counts, read from its positions record of a p/ shard, and
// where each document's places start (`at`, in `bytes`), which are skipped until readPlaces().
export function readPositionCounts(bytes, gram) {
  const start = recordsOf(bytes, "p").find(gram);
  if (start < 0) return null;
  const reader = new Varints(bytes, start), count = reader.read();
  const docs = new Uint32Array(count), counts = new Uint32Array(count), at = new Uint32Array(count);
  for (let i = 0, doc = 0; i < count; i++) {
    doc += reader.read();
    docs[i] = doc;
    let many = counts[i] = reader.read();
    at[i] = reader.at;
    while (many > 0) if (bytes[reader.at++] < 0x80) many--;
  }
  return { docs, counts, at, bytes };
}

// The places of a 3-gram (its readPositionCounts() record) in the `wanted` documents (ascending)
// that hold it: document i of `docs` has places[starts[i] .. starts[i + 1]). Only their places
// are read.
export function readPlaces(record, wanted) {
  const docs = new Uint32Array(Math.min(record.docs.length, wanted.length)), from = new Uint32Array(docs.length);
  let n = 0, total = 0;
  for (let i = 0, w = 0; i < record.docs.length && w < wanted.length; i++) {
    const doc = record.docs[i];
    while (w < wanted.length && wanted[w] < doc) w++;
    if (wanted[w] === doc) { docs[n] = doc; from[n++] = i; total += record.counts[i]; }
  }
  const starts = new Uint32Array(n + 1), places = new Uint32Array(total), reader = new Varints(record.bytes);
  for (let k = 0, filled = 0; k < n; k++) {
    const i = from[k];
    reader.at = record.at[i];
    for (let j = 0, place = 0; j < record.counts[i]; j++) { place += reader.read(); places[filled++] = place; }
    starts[k + 1] = filled;
  }
  return { docs: docs.subarray(0, n), starts, places };
}

// The `candidates` (ascending) where the second 3-gram stands `distance` characters after the
// first, with the number of such places: phrases() for a chain of two, read straight from the
// two readPositionCounts() records, only at the candidates, the places merged as they are read.
export function pairedPlaces(candidates, first, second, distance) {
  const docs = new Uint32Array(candidates.length), counts = new Uint32Array(candidates.length);
  const a = new Varints(first.bytes), b = new Varints(second.bytes);
  let n = 0;
  for (let c = 0, i = 0, j = 0; c < candidates.length; c++) {
    const doc = candidates[c];
    while (i < first.docs.length && first.docs[i] < doc) i++;
    while (j < second.docs.length && second.docs[j] < doc) j++;
    if (first.docs[i] !== doc || second.docs[j] !== doc) continue;
    a.at = first.at[i];
    b.at = second.at[j];
    let leftA = first.counts[i] - 1, leftB = second.counts[j] - 1, found = 0;
    let placeA = a.read() + distance, placeB = b.read();
    for (;;) {  // a place of the second stays while the first's next could meet it too
      if (placeA > placeB) {
        if (!leftB--) break;
        placeB += b.read();
        continue;
      }
      if (placeA === placeB) found++;
      if (!leftA--) break;
      placeA += a.read();
    }
    if (found) { docs[n] = doc; counts[n++] = found; }
  }
  return { docs: docs.subarray(0, n), counts: counts.subarray(0, n) };
}

// The documents that have `term` among their keywords: its record after the gram records of the
// shard a query for it fetches anyway (generator/search/index.py, keyword_home).
export function readKeywords(bytes, term, family) {
  const records = recordsOf(bytes, family);
  records.find(null);  // passes every gram record
  const reader = new Varints(bytes, records.keywords);
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
export function codeUnitTable(from, to) {
  const table = new Uint16Array(65536);
  for (let unit = 0; unit < 65536; unit++) table[unit] = unit;
  from.forEach((char, i) => {
    if (char.length === 1 && to[i].length === 1) table[char.charCodeAt(0)] = to[i].charCodeAt(0);
  });
  return table;
}

// The facet columns, a value per document. Years are known at once: documents are numbered newest
// year first and the manifest says where each year's run begins (generator/search/files.py).
// Units, kinds and types are filled in from facets/ shards (readFacetShard) as they are needed.
export function yearFacets(manifest) {
  const docs = manifest.docs, runs = manifest.years;
  const year = new Uint8Array(docs);
  runs.forEach(([first, code], i) => year.fill(code, first, i + 1 < runs.length ? runs[i + 1][0] : docs));
  const yearOrder = new Int16Array(docs);  // unknown years sort last
  for (let d = 0; d < docs; d++) yearOrder[d] = year[d] ? year[d] : -1;
  return { year, yearOrder, unit: new Uint32Array(docs), kind: new Uint8Array(docs), type: new Uint8Array(docs) };
}

// A facets/ shard's columns (unit u32, kind u8, type u8 per document) into the index's.
export function readFacetShard(index, shard, bytes) {
  const first = shard * index.manifest.shard_items, count = bytes.length / 6, facets = index.facets;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) {
    facets.unit[first + i] = view.getUint32(4 * i, true);
    facets.kind[first + i] = bytes[4 * count + i];
    facets.type[first + i] = bytes[5 * count + i];
  }
}

// The delta's documents (ascending); null for a full index.
export function parseDelta(manifest) {
  const delta = manifest.delta;
  return delta ? { docs: Array.from(delta.docs).sort((a, b) => a - b) } : null;
}
