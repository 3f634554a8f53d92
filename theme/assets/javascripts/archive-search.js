// Full-text search over the chunked n-gram index written by generator/search/index.py.
// The matching rule mirrors generator/search/query.py; report text is only ever set as textContent.
// An index updated in place (generator/search/delta.py) has a delta: a few documents, dropped from
// every record and matched in their own texts, which are fetched once, beside the first shards.
(() => {
  "use strict";

  const root = document.getElementById("archive-search");
  if (!root) return;
  const base = new URL(root.dataset.index, document.baseURI);
  const input = document.getElementById("archive-search-input");
  const list = document.getElementById("archive-search-results");
  const summary = document.getElementById("archive-search-summary");
  const more = document.getElementById("archive-search-more");
  const filters = {
    unit: document.getElementById("archive-filter-unit"),
    kind: document.getElementById("archive-filter-kind"),
    year: document.getElementById("archive-filter-year"),
    type: document.getElementById("archive-filter-type"),
  };
  const sort = document.getElementById("archive-sort");
  const PAGE = 10;
  const SHORT_PHRASE_GRAMS = 3;
  const UNIT_OPTIONS = 10;

  // ---- loading (every file once) ----

  const files = new Map();
  function load(path, as, priority = "auto") {
    if (!files.has(path)) {
      files.set(path, fetch(new URL(path, base), { priority }).then(async (response) => {
        if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
        if (as === "json") return response.json();
        if (as === "gzip" || as === "gzip-json") {
          const stream = new Response(response.body.pipeThrough(new DecompressionStream("gzip")));
          return as === "gzip" ? new Uint8Array(await stream.arrayBuffer()) : JSON.parse(await stream.text());
        }
        return new Uint8Array(await response.arrayBuffer());
      }));
      files.get(path).catch(() => files.delete(path));  // a failed download is tried again when next needed
    }
    return files.get(path);
  }

  let ready = null;
  function setup() {
    if (!ready) {
      const manifest = load("manifest.json", "json");
      // The delta's texts are asked for at once: the first query needs them with its shards.
      manifest.then((m) => { for (const doc of m.delta ? m.delta.docs : []) textOf(doc).catch(() => {}); },
                    () => {});
      loadTitles().catch(() => {});
      ready = Promise.all([manifest, load("fold.json", "json"),
                           load("facets.bin", "gzip"), load("units.bin", "gzip-json")])
        .then(([manifest, fold, facets, unitNames]) => {
          const table = new Map();
          const from = Array.from(fold.from), to = Array.from(fold.to);
          from.forEach((char, i) => table.set(char, to[i]));
          return { manifest, fold: table, foldUnits: codeUnitTable(from, to),
                   facets: parseFacets(manifest, facets), unitNames, delta: parseDelta(manifest) };
        });
      ready.catch(() => { ready = null; });  // a failed start is tried again at the next query
    }
    return ready;
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

  // ---- index records ----

  function shardOf(gram, shards) {
    let h = 2166136261;
    for (const char of gram) { h ^= char.codePointAt(0); h = Math.imul(h, 16777619) >>> 0; }
    return h & (shards - 1);
  }

  // The d/ or p/ shard `gram` hashes to, published gzipped (generator/search/index.py, shard_file).
  function shard(index, family, gram) {
    return load(`${family}/${shardOf(gram, index.manifest[`${family}_shards`])}.bin`, "gzip");
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

  // A gram's documents with their counts, read from its shard of `family` by `read`, without the
  // delta's documents; kept, since queries typed letter by letter share grams.
  const docLists = new Map();
  function cachedDocList(index, family, gram, read) {
    const key = `${family}\u0000${gram}`;
    if (!docLists.has(key)) {
      const replaced = index.delta ? index.delta.replaced : null;
      docLists.set(key, shard(index, family, gram).then((bytes) =>
        (replaced ? withoutReplaced(read(bytes, gram), replaced) : read(bytes, gram))));
      docLists.get(key).catch(() => docLists.delete(key));
    }
    return docLists.get(key);
  }

  function docList(index, gram) {
    return cachedDocList(index, "d", gram, readDocList);
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

  function positionDocList(index, gram) {
    return cachedDocList(index, "p", gram, readPositionCounts);
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

  function keywordDocs(index, term) {
    const chars = Array.from(term);
    const [family, gram] = chars.length <= 3 ? ["d", term] : ["p", chars.slice(0, 3).join("")];
    return shard(index, family, gram).then((bytes) => readKeywords(bytes, term, family));
  }

  async function positions(index, gram, wanted) {
    return readPositions(await shard(index, "p", gram), gram, wanted, index.delta && index.delta.replaced);
  }

  // ---- matching: exactly the documents that contain every term ----

  // Character by character, as the index folds (a character may be beyond the 16-bit range).
  function fold(index, text) {
    let folded = "";
    for (const char of text) folded += index.fold.get(char) ?? char;
    return folded;
  }

  function terms(index, query) {
    return fold(index, query).split(/\s+/).filter(Boolean);
  }

  function cheapestChain(costs) {
    const best = [{ cost: costs[0], path: [0] }];
    for (let offset = 1; offset < costs.length; offset++) {
      let pick = null;
      for (let o = Math.max(0, offset - 3); o < offset; o++) if (!pick || best[o].cost < pick.cost) pick = best[o];
      best.push({ cost: pick.cost + costs[offset], path: [...pick.path, offset] });
    }
    return best[costs.length - 1].path;
  }

  // A match is its documents, ascending, with a count each: typed arrays and merges, no maps,
  // since a query can match every report of the archive.
  const NONE = { docs: new Uint32Array(0), counts: new Uint32Array(0) };

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

  async function match(index, term) {
    if (!index.delta) return baseMatch(index, term);
    const [found, extra] = await Promise.all([baseMatch(index, term), deltaMatch(index, term)]);
    return union(found, extra);
  }

  // The delta's documents that contain `term`, counted as their records would count it: every
  // place where it starts, overlapping ones too.
  const deltaTexts = new Map();
  async function deltaMatch(index, term) {
    const texts = await Promise.all(index.delta.docs.map((doc) => {
      if (!deltaTexts.has(doc)) {
        deltaTexts.set(doc, textOf(doc).then((text) => fold(index, text.t)));
        deltaTexts.get(doc).catch(() => deltaTexts.delete(doc));
      }
      return deltaTexts.get(doc);
    }));
    const docs = [], counts = [];
    texts.forEach((text, i) => {
      let count = 0;
      for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) count++;
      if (count) { docs.push(index.delta.docs[i]); counts.push(count); }
    });
    return { docs: Uint32Array.from(docs), counts: Uint32Array.from(counts) };
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

  async function baseMatch(index, term) {
    const chars = Array.from(term);
    if (chars.length <= 3) return (await docList(index, term)) || NONE;
    const grams = chars.slice(0, -2).map((_, i) => chars.slice(i, i + 3).join(""));
    // A short phrase reads its grams' document lists from their position records, one shard
    // per gram instead of two: here a request costs more than its bytes.
    const short = grams.length <= SHORT_PHRASE_GRAMS;
    // Every chain starts with the first 3-gram and ends with the last: their positions are
    // fetched with the document lists, saving a round trip.
    for (const gram of [grams[0], grams[grams.length - 1]]) {
      shard(index, "p", gram).catch(() => {});  // awaited, if needed, below
    }
    const records = await Promise.all(grams.map((gram) =>
      (short ? positionDocList(index, gram) : docList(index, gram))));
    if (records.some((r) => !r)) return NONE;
    let candidates = records[0].docs;
    for (const record of records.slice(1)) candidates = intersect(candidates, record.docs);
    if (!candidates.length) return NONE;
    const chain = cheapestChain(records.map((r) => r.counts.reduce((a, b) => a + b, 0)));
    const lists = await Promise.all(chain.map((offset) => positions(index, grams[offset], candidates)));
    return phrases(candidates, chain, lists);
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

  // The documents that contain every term, with their scores (aligned arrays).
  async function search(index, query) {
    const wanted = terms(index, query);
    if (!wanted.length) return { terms: wanted, docs: new Uint32Array(0), scores: new Float64Array(0) };
    const [matches, keywords] = await Promise.all([
      Promise.all(wanted.map((term) => match(index, term))),
      Promise.all(wanted.map((term) => keywordDocs(index, term))),
    ]);
    let docs = matches[0].docs;
    for (const found of matches.slice(1)) docs = intersect(docs, found.docs);
    const scores = new Float64Array(docs.length);
    matches.forEach((found, i) => {
      addCounts(docs, scores, found.docs, found.counts, 0);
      // A term that jieba found characteristic of the report weighs like many plain matches.
      if (keywords[i]) addCounts(docs, scores, keywords[i], null, 20);
    });
    return { terms: wanted, docs, scores };
  }

  // ---- facets, order, page ----

  // Facets are stored as small codes per document; a year's code is year - year_base (0: unknown).
  function facetValue(index, name, code) {
    return name === "year" && code ? code + index.manifest.year_base : code;
  }

  function facetCode(index, name, value) {
    return name === "year" && value ? value - index.manifest.year_base : value;
  }

  function selected() {
    const chosen = {};
    for (const [name, select] of Object.entries(filters)) {
      if (select.value !== "") chosen[name] = Number(select.value);
    }
    return chosen;
  }

  function filtered(index, docs, chosen, except) {
    const tests = Object.entries(chosen).filter(([name]) => name !== except)
      .map(([name, value]) => [index.facets[name], facetCode(index, name, value)]);
    if (!tests.length) return docs;
    return docs.filter((doc) => tests.every(([column, code]) => column[doc] === code));
  }

  function ordered(index, docs, scoreOf) {
    const year = index.facets.yearOrder;  // -1: unknown, sorts last
    const byYear = sort.value === "year";
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

  function yearLabel(year) { return year ? `${year}年` : "年份不详"; }

  // Per filter: the values to offer with their counts, among the results the other filters keep.
  function facetOptions(index, docs, chosen) {
    const labels = {
      unit: (v) => index.unitNames[v],
      kind: (v) => index.manifest.kinds[v],
      type: (v) => index.manifest.types[v],
      year: (v) => yearLabel(v),
    };
    const options = {};
    for (const name of Object.keys(filters)) {
      const column = index.facets[name];
      const tally = new Uint32Array(name === "unit" ? index.manifest.units : 256);
      const counted = filtered(index, docs, chosen, name);
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
      let values = codes.map((code) => facetValue(index, name, code));
      if (name === "unit") {
        values = values.slice(0, UNIT_OPTIONS);
        if (chosen.unit !== undefined && !values.includes(chosen.unit)) values.push(chosen.unit);
      }
      options[name] = values.map((value) =>
        [String(value), `${labels[name](value)}（${tally[facetCode(index, name, value)] || 0}）`]);
    }
    return options;
  }

  function showFacets(options) {
    for (const [name, values] of Object.entries(options)) {
      const select = filters[name];
      const keep = select.value;
      select.replaceChildren(option("", select.dataset.all), ...values.map(([value, text]) => option(value, text)));
      select.value = keep;
      if (select.value !== keep) select.value = "";
    }
  }

  function option(value, text) {
    const element = document.createElement("option");
    element.value = value;
    element.textContent = text;
    return element;
  }

  // ---- results ----

  const utf16 = new TextDecoder("utf-16le");
  function foldText(index, text) {
    const units = new Uint16Array(text.length);
    for (let i = 0; i < text.length; i++) units[i] = index.foldUnits[text.charCodeAt(i)];
    return utf16.decode(units);
  }

  function snippet(index, text, bodyStart, wanted) {
    const folded = foldText(index, text);
    // Prefer a passage of the report itself to its title and labels.
    let at = -1;
    for (const from of [bodyStart, 0]) {
      for (const term of wanted) { at = folded.indexOf(term, from); if (at >= 0) break; }
      if (at >= 0) break;
    }
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
    const element = document.createElement("p");
    element.className = "archive-result__snippet";
    let cursor = from;
    if (from > lineStart) element.append("…");
    for (const [start, end] of marks) {
      if (start < cursor) continue;
      element.append(text.slice(cursor, start));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(start, end);
      element.append(mark);
      cursor = end;
    }
    element.append(text.slice(cursor, to));
    if (to < lineEnd) element.append("…");
    return { element, at };
  }

  function anchorAt(sections, at) {
    let anchor = "";
    for (const [start, name] of sections) if (start <= at) anchor = name;
    return anchor;
  }

  // Every report's id and title, fetched once (at low priority) from the first query on: results
  // are then shown as soon as they are known, their snippets following.
  let titles = null;
  function loadTitles() {
    if (!titles) {
      titles = load("docs.bin", "gzip-json", "low").then((table) => {
        const ids = table.ids.split("\n"), names = table.titles.split("\n");
        // A title names its unit by \u0001 (generator/search/index.py, UNIT_SLOT).
        return { id: (doc) => ids[doc], title: (doc, unit) => names[doc].split("\u0001").join(unit),
                 url: (doc) => table.links[doc] ?? table.url.split("{id}").join(ids[doc]) };
      });
      titles.catch(() => { titles = null; });
    }
    return titles;
  }

  function resultItem(index, doc, reportId, title, url) {
    const item = document.createElement("li");
    item.className = "archive-result";
    item.dataset.reportId = reportId;
    const link = document.createElement("a");
    link.className = "archive-result__title";
    link.href = url;
    link.textContent = title;
    const meta = document.createElement("div");
    meta.className = "archive-result__meta";
    meta.textContent = [index.unitNames[index.facets.unit[doc]],
      yearLabel(facetValue(index, "year", index.facets.year[doc])),
      index.manifest.types[index.facets.type[doc]]].join(" · ");
    const pending = document.createElement("p");
    pending.className = "archive-result__snippet";
    item.append(link, meta, pending);
    return item;
  }

  // The passage around the first match, and the link taken to the section holding it.
  function addSnippet(index, item, text, wanted) {
    const { element, at } = snippet(index, text.t, text.b, wanted);
    item.lastChild.replaceWith(element);
    const anchor = anchorAt(text.s, at);
    if (anchor) item.firstChild.href = `${text.u}#${anchor}`;
  }

  function textOf(doc) { return load(`text/${doc}.bin`, "gzip-json"); }

  // Items for `docs`: at once when the titles are there, else once their texts are. Their
  // snippets come with `snippets()`, called once the items are shown: it settles when they are in.
  async function resultItems(index, docs, wanted) {
    const table = titles && await titles.catch(() => null);
    if (table) {
      const items = docs.map((doc) => resultItem(index, doc, table.id(doc),
        table.title(doc, index.unitNames[index.facets.unit[doc]]), table.url(doc)));
      const snippets = () => Promise.all(items.map((item, i) =>
        textOf(docs[i]).then((text) => addSnippet(index, item, text, wanted))));
      return { items, snippets };
    }
    const texts = await Promise.all(docs.map(textOf));
    const items = texts.map((text, i) => {
      const item = resultItem(index, docs[i], text.r, text.h, text.u);
      addSnippet(index, item, text, wanted);
      return item;
    });
    return { items, snippets: () => Promise.resolve() };
  }

  // ---- one query, start to finish ----

  let current = { docs: [], shown: 0, terms: [] };
  let generation = 0;

  async function run() {
    const query = input.value.trim();
    const mine = ++generation;
    const started = performance.now();
    list.dataset.status = "searching";
    list.dataset.snippets = "pending";
    const index = await setup();
    const { terms: wanted, docs: all, scores } = await search(index, query);
    if (mine !== generation) return;
    const chosen = selected();
    const scoreOf = new Float64Array(index.manifest.docs);
    all.forEach((doc, i) => { scoreOf[doc] = scores[i]; });
    const docs = ordered(index, filtered(index, all, chosen), scoreOf);
    // The shown reports are asked for first; the filters are counted while they arrive.
    const pending = resultItems(index, docs.slice(0, PAGE), wanted);
    const options = facetOptions(index, all, chosen);
    const { items, snippets } = await pending;
    if (mine !== generation) return;
    // The page changes once, so it is laid out once.
    current = { docs, shown: items.length, terms: wanted, index };
    showFacets(options);
    list.replaceChildren(...items);
    summary.textContent = query ? `找到 ${docs.length} 篇报告` : "";
    more.hidden = current.shown >= docs.length;
    list.dataset.query = query;
    list.dataset.total = String(docs.length);
    list.dataset.status = "done";
    window.__archiveSearch = { query, ms: performance.now() - started, total: docs.length };
    setTimeout(() => { if (mine === generation) settle(snippets(), mine); });  // results are painted first
    setTimeout(() => { if (mine === generation) remember(query); });  // replaceState is slow: after the results
  }

  function settle(snippets, mine) {
    snippets.then(() => "done", () => "error")
      .then((status) => { if (mine === generation) list.dataset.snippets = status; });
  }

  async function showMore(mine) {
    const { docs, shown, terms: wanted, index } = current;
    const page = docs.slice(shown, shown + PAGE);
    list.dataset.snippets = "pending";
    const { items, snippets } = await resultItems(index, page, wanted);
    if (mine !== generation) return;
    list.append(...items);
    current.shown = shown + page.length;
    settle(snippets(), mine);
  }

  function remember(query) {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    for (const [name, select] of Object.entries(filters)) if (select.value) params.set(name, select.value);
    if (sort.value !== "relevance") params.set("sort", sort.value);
    history.replaceState(null, "", `${location.pathname}${params.size ? `?${params}` : ""}`);
  }

  function restore() {
    const params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    for (const [name, select] of Object.entries(filters)) {
      if (params.has(name)) select.append(option(params.get(name), params.get(name)));
      select.value = params.get(name) || "";
    }
    sort.value = params.get("sort") || "relevance";
  }

  function failed(error) {
    list.dataset.status = "error";
    summary.textContent = `搜索出错：${error.message}`;
  }

  // Every keystroke searches at once (a newer query makes an older one's results void);
  // while an input method is composing, only the composed text is searched.
  input.addEventListener("input", (event) => { if (!event.isComposing) run().catch(failed); });
  input.addEventListener("compositionend", () => run().catch(failed));
  input.form.addEventListener("submit", (event) => { event.preventDefault(); run().catch(failed); });
  for (const select of [...Object.values(filters), sort]) {
    select.addEventListener("change", () => run().catch(failed));
  }
  more.addEventListener("click", () => {
    const mine = generation;
    showMore(mine).then(() => { more.hidden = current.shown >= current.docs.length; }).catch(failed);
  });

  restore();
  if (input.value.trim()) run().catch(failed);
})();
