// The archive's search engine: answers queries from the chunked n-gram index written by
// generator/search/index.py, by the matching rule of generator/search/query.py. It has no DOM:
// it is given a function that fetches an index file, so the search page, the header box and
// `node --test` (tests/engine/) run the same code.
//
// Nothing fetched before a query's first results grows with the archive (generator/search/files.py):
// the manifest, the fold table, the query's shards and the shown results' own text files. Years
// come with document numbers; the other facets, and units' names, are read in shards, only for the
// matches the search page counts or filters.
//
// An index updated in place (generator/search/delta.py) has a delta: a few documents, dropped from
// every match over the records and matched in their own texts, which are fetched once, beside the
// first shards.
import { addCounts, cheapestChain, intersect, NONE, occurrences, phrases, withDelta } from "./search-match.js";
import { facetOptions, facetValue, ordered, yearLabel } from "./search-order.js";
import {
  codeUnitTable, pairedPlaces, parseDelta, readDocList, readFacetShard, readKeywords, readPlaces, readPositionCounts,
  shardOf, yearFacets,
} from "./search-records.js";

const SHORT_PHRASE_GRAMS = 3;
const COUNTING_FETCHES = 2;  // facet shards in flight while the filters are counted; a browser opens about six connections per host

// `work(item)` for each of `items`, at most `limit` at once, in order; no further item is started
// once `wanted()` is false. Resolves to whether every item was done.
export async function inTurn(items, limit, wanted, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length && wanted()) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return next >= items.length && wanted();
}
const KEYWORD_WEIGHT = 20;  // a term that jieba found characteristic of a report weighs like many matches

// ---- snippets ----

const utf16 = new TextDecoder("utf-16le");
function foldText(index, text) {
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = index.foldUnits[text.charCodeAt(i)];
  return utf16.decode(units);
}

// The chunk (generator/search/files.py, text_chunks) holding UTF-16 offset `at` of the text.
function chunkAt(starts, at) {
  let chunk = 0;
  while (chunk + 1 < starts.length && starts[chunk + 1] <= at) chunk++;
  return chunk;
}

// The passage around `at` (the first match; -1 for none), within its line: [text, marked] parts,
// and whether the line goes on before and after it. `text` is a chunk of whole lines, `folded`
// the same folded; text is sliced from `text` as shown, never folded.
function snippetParts(text, folded, at, wanted) {
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
  return { parts, before: from > lineStart, after: to < lineEnd };
}

function anchorAt(sections, at) {
  let anchor = "";
  for (const [start, name] of sections) if (start <= at) anchor = name;
  return anchor;
}

// ---- the engine ----

// Records are read from a shard's bytes by these, per family.
const RECORD_READERS = { d: readDocList, p: readPositionCounts };
const NONE_PLACES = { ...NONE, at: new Uint32Array(0), bytes: new Uint8Array(0) };

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

  // A report's head: id, title, link, unit, type, sections, where its chunks start, and its first
  // chunk (generator/search/files.py, text_payloads).
  text(doc, priority = "auto") { return this.load(`text/${doc}.bin`, "gzip-json", priority); }

  // Chunk `k` of a report's text, its head given.
  async #chunk(doc, head, k) {
    return k ? (await this.load(`text/${doc}-${k}.bin`, "gzip-json")).t : head.t;
  }

  // A report's whole text: its chunks, joined.
  async fullText(doc) {
    const head = await this.text(doc);
    const chunks = await Promise.all(head.c.map((_, k) => this.#chunk(doc, head, k)));
    return chunks.join("");
  }

  // The index's first files, read; asked for once (again after a failure).
  ready() {
    if (!this.starting) {
      const manifest = this.load("manifest.json", "json");
      // The delta's texts are asked for at once: the first query needs them with its shards.
      manifest.then((m) => { for (const doc of m.delta ? m.delta.docs : []) this.fullText(doc).catch(() => {}); },
                    () => {});
      this.starting = Promise.all([manifest, this.load("fold.json", "json")])
        .then(([manifest, fold]) => {
          const table = new Map();
          const from = Array.from(fold.from), to = Array.from(fold.to);
          from.forEach((char, i) => table.set(char, to[i]));
          this.index = { manifest, fold: table, foldUnits: codeUnitTable(from, to),
                         facets: yearFacets(manifest), unitNames: [], delta: parseDelta(manifest) };
          return this.index;
        });
      this.starting.catch(() => { this.starting = null; });  // a failed start is tried again at the next query
    }
    return this.starting;
  }

  // The unit, kind and type of every one of `docs`, read from their facets/ shards into the columns.
  // Counted after the results are shown (`counting`), the shards are asked for a few at a time, at
  // low priority, while `wanted()`: a broad query's hundreds of shards must never hold up the
  // reader's next query, which needs the browser's connections for its own files. Whether all are in.
  #facetsOf(docs, { counting = false, wanted = () => true } = {}) {
    const index = this.index, size = index.manifest.shard_items, shards = new Set();
    for (let i = 0; i < docs.length; i++) shards.add(Math.floor(docs[i] / size));
    const read = (shard) => this.load(`facets/${shard}.bin`, "gzip", counting ? "low" : "auto")
      .then((bytes) => readFacetShard(index, shard, bytes));
    return inTurn(Array.from(shards), counting ? COUNTING_FETCHES : Infinity, wanted, read);
  }

  // The names of `units` (numbers; others are left out): from the text file of a match of each
  // (`all`, whose facets are read), which the page may have already, else from the units/ shards.
  async #unitNames(units, all) {
    const index = this.index, size = index.manifest.shard_items, column = index.facets.unit;
    const missing = new Set(units.filter((unit) => Number.isInteger(unit) && unit >= 0 && unit < index.manifest.units
                                                    && index.unitNames[unit] === undefined));
    const heads = [];
    for (const fetched of [true, false]) {  // first the matches whose text file is here
      for (let i = 0; i < all.length && missing.size; i++) {
        const doc = all[i], unit = column[doc];
        if (this.files.has(`text/${doc}.bin`) !== fetched || !missing.delete(unit)) continue;
        heads.push(this.text(doc).then((head) => { index.unitNames[unit] = head.n; }));
      }
    }
    const shards = new Set(Array.from(missing, (unit) => Math.floor(unit / size)));
    await Promise.all([...heads, ...Array.from(shards, (shard) => this.load(`units/${shard}.bin`, "gzip-json")
      .then((names) => names.forEach((name, i) => { index.unitNames[shard * size + i] = name; })))]);
  }

  // ---- records ----

  // The d/ or p/ shard `gram` hashes to, published gzipped (generator/search/index.py, shard_file).
  #shard(family, gram) {
    const path = `${family}/${shardOf(gram, this.index.manifest[`${family}_shards`])}.bin`;
    return this.load(path, "gzip", "high");  // a query waits for it
  }

  // A gram's documents with their counts, from its shard of `family` (the delta's documents
  // included: a match drops them at the end).
  #docList(family, gram) {
    const key = `${family}\u0000${gram}`;
    if (!this.docLists.has(key)) {
      const read = RECORD_READERS[family];
      const record = this.#shard(family, gram).then((bytes) => read(bytes, gram));
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

  // A 3-gram's places in the `wanted` documents, from its record (whose documents' places
  // are where the record says, in its shard).
  async #positions(gram, wanted) {
    return readPlaces(await this.#positionRecord(gram), wanted);
  }

  async #positionRecord(gram) {
    return (await this.#docList("p", gram)) || NONE_PLACES;
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
    return withDelta(found, this.index.delta.docs, extra);
  }

  // The delta's documents that contain `term`, counted as their records would count it.
  async #deltaMatch(term) {
    const delta = this.index.delta;
    const texts = await Promise.all(delta.docs.map((doc) => {
      if (!this.deltaTexts.has(doc)) {
        const folded = this.fullText(doc).then((text) => this.#fold(text));
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
    if (chain.length === 2) {  // most phrases: their places are merged as they are read
      const [first, second] = await Promise.all(chain.map((offset) => this.#positionRecord(grams[offset])));
      return pairedPlaces(candidates, first, second, chain[1] - chain[0]);
    }
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
  // `sort` "relevance" or "year"; `docs` a Ranking (search-order.js), ordered as far as it is
  // read; `matched` counts them before the filters, `facets()` (a promise) the filters' options,
  // when wanted. Only a filter other than the year's reads facet shards.
  async results(query, { filters = {}, sort = "relevance" } = {}) {
    const { terms, docs: all, scores } = await this.search(query);
    if (Object.keys(filters).some((name) => name !== "year")) await this.#facetsOf(all);
    const docs = ordered(this.index, all, scores, filters, sort === "year");
    return { terms, docs, matched: all.length, facets: (wanted) => this.#facetOptions(all, filters, wanted) };
  }

  // The filters' options with their counts, over every match: their facets, then the names of
  // the units offered; null once `wanted()` turned false (a newer query came) before all were read.
  async #facetOptions(all, filters, wanted = () => true) {
    if (!(await this.#facetsOf(all, { counting: true, wanted }))) return null;
    const units = facetOptions(this.index, all, filters).unit.map((option) => option.value);
    await this.#unitNames(units, all);
    return facetOptions(this.index, all, filters);
  }

  // ---- what a result shows ----

  // What each of `docs` shows: its id, title, link (relative to the site's root), unit, year and
  // type, from its own text file (whose head then serves its snippet).
  async hits(shown) {
    const index = await this.ready(), docs = Array.from(shown);
    const heads = await Promise.all(docs.map((doc) => this.text(doc, "high")));  // what a reader waits for
    return heads.map((head, i) => {
      const doc = docs[i], year = facetValue(index, "year", index.facets.year[doc]);
      return { doc, id: head.r, title: head.h, url: head.u, unit: head.n, year, yearLabel: yearLabel(year),
               type: index.manifest.types[head.d] };
    });
  }

  // The first place of a term in the report's body if it has one there, else in its title and
  // labels: the chunk holding it, folded, and its offset in the text. Chunks are read in order
  // until it is found, mostly the first only.
  async #firstMatch(doc, head, wanted) {
    const starts = head.c, folded = [];
    const foldedChunk = async (k) => (folded[k] ??= foldText(this.index, await this.#chunk(doc, head, k)));
    for (const from of [head.b, 0]) {
      for (const term of wanted) {
        for (let k = chunkAt(starts, from); k < starts.length; k++) {
          const at = (await foldedChunk(k)).indexOf(term, Math.max(0, from - starts[k]));
          if (at >= 0) return { chunk: k, at: starts[k] + at, folded: folded[k] };
        }
      }
    }
    return { chunk: 0, at: -1, folded: await foldedChunk(0) };
  }

  // The passage of report `doc`'s text around the first of `wanted`, as parts [text, marked],
  // and the link to the section holding it: from the chunk holding the match, not the whole text.
  async snippet(doc, wanted) {
    await this.ready();
    const head = await this.text(doc);
    const { chunk, at, folded } = await this.#firstMatch(doc, head, wanted);
    const start = head.c[chunk], text = await this.#chunk(doc, head, chunk);
    const { parts, before, after } = snippetParts(text, folded, at < 0 ? at : at - start, wanted);
    const anchor = anchorAt(head.s, at);
    return { parts, before, after, url: anchor ? `${head.u}#${anchor}` : head.u };
  }
}
