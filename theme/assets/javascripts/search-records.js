// Reading the search index's files (generator/search/index.py and files.py write them;
// generator/search/query.py reads them the same way): shards of varint records, facets, the delta. No DOM.


export function shardOf(gram, shards) {
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

export function readDocList(bytes, gram) {
  const reader = new Varints(bytes);
  const count = seekRecord(reader, gram, "d");
  if (count < 0) return null;
  const docs = new Uint32Array(count), counts = new Uint32Array(count);
  for (let i = 0, doc = 0; i < count; i++) { doc += reader.read(); docs[i] = doc; }
  for (let i = 0; i < count; i++) counts[i] = reader.read();
  return { docs, counts };
}

// A record without the delta's documents, or null when none is left.
export function withoutReplaced(record, replaced) {
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
export function readPositions(bytes, gram, wanted, replaced) {
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
export function readPositionCounts(bytes, gram) {
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
export function readKeywords(bytes, term, family) {
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

// The delta's documents (ascending) and a flag per document; null for a full index.
export function parseDelta(manifest) {
  const delta = manifest.delta;
  if (!delta) return null;
  const replaced = new Uint8Array(manifest.docs);
  for (const doc of delta.docs) replaced[doc] = 1;
  return { docs: delta.docs, replaced };
}
