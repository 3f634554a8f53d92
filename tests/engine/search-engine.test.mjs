// The search engine of the site's pages, under Node: the same answers as `report-archive search`.
//
// Run by tests/test_search_engine.py, which builds the sites, asks `report-archive search QUERY
// --site SITE` for each query and passes its output in SEARCH_ENGINE_SITES, as JSON:
//   [{"site": "path/to/site", "answers": {"工会": "<the command's output>", ...}}, ...]
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";

import { inTurn, SearchEngine } from "../../theme/assets/javascripts/search-engine.js";
import { cheapestChain, intersect, occurrences, phrases, withDelta } from "../../theme/assets/javascripts/search-match.js";
import { pairedPlaces, readPlaces, readPositionCounts } from "../../theme/assets/javascripts/search-records.js";
import { adviceItems } from "../../theme/assets/javascripts/search-view.js";

const SITES = JSON.parse(process.env.SEARCH_ENGINE_SITES || "[]");
let beyondFirstChunk = 0;  // snippets whose match lies past a text's first chunk

// The engine over a built site's index, read from disk; `fetched` lists the paths asked for.
function engineFor(site, fetched = []) {
  return new SearchEngine(async (path) => {
    fetched.push(path);
    return new Response(await readFile(join(site, "search", path)));
  });
}

// `report-archive search`'s output: a line per report, id, matches and title, best first, then
// in index order.
function parseAnswer(output) {
  return output.split("\n").filter(Boolean).map((line) => {
    const [id, count] = line.split("\t");
    return [id, Number(count)];
  });
}

// The engine's answer in the page's order, which the command follows too, and in its form.
async function engineAnswer(engine, query) {
  const { docs, counts } = await engine.search(query);
  const countOf = new Map(Array.from(docs, (doc, i) => [doc, counts[i]]));
  const { docs: ordered } = await engine.results(query);
  const hits = await engine.hits(ordered);
  return hits.map((hit) => [hit.id, countOf.get(hit.doc)]);
}

// The snippet as the page made it from a report's whole text before texts came in chunks: the
// first place of a term in the body (else in the title and labels), within its line.
function wholeTextSnippet(engine, head, text, wanted) {
  const folded = Array.from(text, (char) => char).map((char) => (char.length === 1
    ? String.fromCharCode(engine.index.foldUnits[char.charCodeAt(0)]) : char)).join("");
  let at = -1;
  search: for (const from of [head.b, 0]) {
    for (const term of wanted) {
      at = folded.indexOf(term, from);
      if (at >= 0) break search;
    }
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
  const parts = [];
  let cursor = from;
  for (const [start, end] of marks) {
    if (start < cursor) continue;
    if (start > cursor) parts.push([text.slice(cursor, start), false]);
    parts.push([text.slice(start, end), true]);
    cursor = end;
  }
  if (to > cursor) parts.push([text.slice(cursor, to), false]);
  let anchor = "";
  for (const [start, name] of head.s) if (start <= at) anchor = name;
  return { parts, before: from > lineStart, after: to < lineEnd, url: anchor ? `${head.u}#${anchor}` : head.u };
}

test("the sites to compare are given", () => {
  assert.ok(SITES.length, "set SEARCH_ENGINE_SITES (tests/test_search_engine.py does)");
});

for (const { site, answers } of SITES) {
  const queries = Object.keys(answers);
  describe(`the engine over ${site}`, () => {
    const engine = engineFor(site);

    test("finds what report-archive search finds, in its order, with as many matches", async () => {
      const expected = Object.values(answers).map(parseAnswer);
      for (const [i, query] of queries.entries()) {
        assert.deepEqual(await engineAnswer(engine, query), expected[i], `query ${JSON.stringify(query)}`);
      }
      assert.ok(expected.some((answer) => answer.length > 1), "some query finds several reports");
      assert.ok(expected.some((answer) => answer.length === 0), "some query finds nothing");
    });

    test("orders results by score, then by the newer year", async () => {
      const query = queries.find((q) => q.trim());
      const { docs, scores } = await engine.search(query);
      const scoreOf = new Map(Array.from(docs, (doc, i) => [doc, scores[i]]));
      const found = await engine.results(query);
      assert.deepEqual([...found.docs].sort((a, b) => a - b), Array.from(docs));
      const hits = await engine.hits(found.docs);
      for (let i = 1; i < hits.length; i++) {
        const [a, b] = [hits[i - 1], hits[i]];
        const key = (hit) => [scoreOf.get(hit.doc), hit.year || -1];
        assert.ok(key(a)[0] > key(b)[0] || (key(a)[0] === key(b)[0] && key(a)[1] >= key(b)[1]),
          `${a.id} before ${b.id}`);
      }
    });

    test("a filter keeps only its reports and counts the others' options", async () => {
      const query = queries.find((q) => q.trim());
      const everything = await engine.results(query);
      const options = await everything.facets();
      const [year] = options.year;
      const only = await engine.results(query, { filters: { year: year.value } });
      assert.equal(only.docs.length, year.count);
      assert.equal(only.matched, everything.docs.length);
      assert.ok((await engine.hits(only.docs)).every((hit) => hit.year === year.value));
      const none = await engine.results(query, { filters: { year: 1801 } });
      assert.equal(none.docs.length, 0);
      assert.deepEqual((await none.facets()).year.at(-1), { value: 1801, label: "1801年", count: 0 });
      // A unit's filter: its reports, counted as its option said, its name from the units' shards.
      const [unit] = options.unit;
      assert.ok(unit.label && unit.label !== String(unit.value));
      const inUnit = await engine.results(query, { filters: { unit: unit.value } });
      assert.equal(inUnit.docs.length, unit.count);
      assert.ok((await engine.hits(inUnit.docs)).every((hit) => hit.unit === unit.label));
    });

    test("a snippet is the one the whole text gives, from the chunk holding the match", async () => {
      for (const query of queries.filter((q) => q.trim())) {
        const found = await engine.results(query);
        for (const doc of found.docs.slice(0, 12)) {
          const head = await engine.text(doc);
          const text = await engine.fullText(doc);
          const snippet = await engine.snippet(doc, found.terms);
          assert.deepEqual(snippet, wholeTextSnippet(engine, head, text, found.terms), `${query} in ${head.r}`);
          assert.ok(snippet.parts.some(([, mark]) => mark), `a match is marked in ${head.r}`);
          if (!head.t.includes(snippet.parts.map(([part]) => part).join(""))) beyondFirstChunk++;
        }
      }
    });
  });
}

test("some snippet came from a chunk after the first", () => {
  if (SITES.length) assert.ok(beyondFirstChunk > 0);
});

test("a download that failed is asked for again by the next query", async () => {
  if (!SITES.length) return;
  const { site, answers } = SITES[0];
  const [query] = Object.keys(answers);
  let refuse = true;
  const engine = new SearchEngine(async (path) => {
    if (path === "manifest.json" && refuse) { refuse = false; return new Response("", { status: 503 }); }
    return new Response(await readFile(join(site, "search", path)));
  });
  await assert.rejects(engine.results(query), /manifest.json: HTTP 503/);
  assert.equal((await engine.results(query)).docs.length, parseAnswer(answers[query]).length);
});

test("a query fetches the index's own files only, each once", async () => {
  if (!SITES.length) return;
  const fetched = [];
  const engine = engineFor(SITES[0].site, fetched);
  await (await engine.results("工会")).facets();
  await engine.results("工会 职工");
  assert.equal(new Set(fetched).size, fetched.length);
  for (const path of fetched) {
    assert.match(path, /^(manifest\.json|fold\.json|(facets|units|[dp])\/\d+\.bin|text\/\d+(-\d+)?\.bin)$/);
  }
});

test("the first results need no file that grows with the archive", async () => {
  if (!SITES.length) return;
  const fetched = [];
  const engine = engineFor(SITES[0].site, fetched);
  const found = await engine.results("工会");
  const hits = await engine.hits(found.docs.slice(0, 8));
  await Promise.all(hits.map((hit) => engine.snippet(hit.doc, found.terms)));
  const heads = new Set(hits.map((hit) => `text/${hit.doc}.bin`));
  for (const path of fetched) {
    // The manifest, the fold table, the query's shards, and the shown results' own text files.
    assert.ok(/^(manifest\.json|fold\.json|[dp]\/\d+\.bin)$/.test(path) || heads.has(path.replace(/-\d+\.bin$/, ".bin")), path);
  }
  assert.ok(hits.every((hit) => hit.title && hit.unit && hit.type && hit.url));
});

test("work in turn: never more than the limit at once, in order, and no more once unwanted", async () => {
  let running = 0, most = 0;
  const started = [];
  const work = async (item) => {
    started.push(item);
    most = Math.max(most, ++running);
    await new Promise((resolve) => setTimeout(resolve, item % 3));
    running--;
  };
  const items = Array.from({ length: 40 }, (_, i) => i);
  assert.equal(await inTurn(items, 2, () => true, work), true);
  assert.equal(most, 2);
  assert.deepEqual(started, items);
  started.length = 0;
  most = 0;
  assert.equal(await inTurn(items, Infinity, () => true, work), true);
  assert.equal(most, 40);  // no limit: all at once
  started.length = 0;
  assert.equal(await inTurn(items, 2, () => started.length < 5, work), false);
  assert.deepEqual(started, [0, 1, 2, 3, 4]);  // a newer query came: the rest is never asked for
  assert.equal(await inTurn([], 2, () => true, work), true);
});

test("filters counted for a query no longer wanted read no more facet shards", async () => {
  if (!SITES.length) return;
  const fetched = [];
  const engine = engineFor(SITES[0].site, fetched);
  const found = await engine.results("工会");
  const before = fetched.length;
  assert.equal(await found.facets(() => false), null);
  assert.ok(!fetched.slice(before).some((path) => path.startsWith("facets/")));
  assert.ok((await found.facets(() => true)).unit.length > 0);
});

test("document lists intersect alike, however different their lengths", () => {
  let seed = 5;
  const random = () => ((seed = Math.imul(seed, 48271) % 2147483647) & 0xffff) / 0x10000;
  const list = (size, spread) => Uint32Array.from(new Set(Array.from({ length: size }, () => Math.floor(random() * spread))))
    .sort();
  for (const [small, large] of [[0, 50], [3, 5000], [40, 40], [200, 100000], [1000, 3000]]) {
    const a = list(small, 20000), b = list(large, 20000), inB = new Set(b);
    const expected = Array.from(a).filter((doc) => inB.has(doc));
    assert.deepEqual(Array.from(intersect(a, b)), expected, `${small} and ${large}`);
    assert.deepEqual(Array.from(intersect(b, a)), expected, `${large} and ${small}`);
  }
});

test("the cheapest chain of 3-grams covers the term", () => {
  assert.deepEqual(cheapestChain([5]), [0]);
  assert.deepEqual(cheapestChain([1, 9, 9, 1]), [0, 3]);
  assert.deepEqual(cheapestChain([1, 9, 1, 9, 9, 1]), [0, 2, 5]);
});

test("matches are counted where they start, overlapping ones too", () => {
  assert.equal(occurrences("会会会", "会会"), 2);
  assert.equal(occurrences("工会", "职工"), 0);
});

test("the delta's documents leave a match over the records and come back with their own counts", () => {
  const match = (docs, counts) => ({ docs: Uint32Array.from(docs), counts: Uint32Array.from(counts) });
  const base = match([1, 3, 5, 7, 8], [1, 2, 3, 4, 5]);
  const replaced = withDelta(base, [0, 3, 6, 8, 9], match([0, 6, 9], [7, 8, 9]));
  assert.deepEqual(replaced, match([0, 1, 5, 6, 7, 9], [7, 1, 3, 8, 4, 9]));
  assert.equal(withDelta(base, [2, 4], match([], [])), base, "a delta that changes nothing here copies nothing");
  assert.deepEqual(withDelta(match([], []), [4], match([4], [1])), match([4], [1]));
});

// A p/ shard as generator/search/index.py writes it: per gram its characters, its number of
// documents and, per document, the number's step, how many places and the places' steps.
function positionsShard(texts, grams) {
  const bytes = [];
  const varint = (value) => {
    for (; value >= 0x80; value = Math.floor(value / 128)) bytes.push((value & 0x7f) | 0x80);
    bytes.push(value);
  };
  for (const gram of grams) {
    varint(gram.length);
    for (const char of gram) varint(char.codePointAt(0));
    const holders = texts.map((text, doc) => [doc, occurrencePlaces(text, gram)]).filter(([, places]) => places.length);
    varint(holders.length);
    let previous = 0;
    for (const [doc, places] of holders) {
      varint(doc - previous);
      previous = doc;
      varint(places.length);
      places.forEach((place, i) => varint(place - (i ? places[i - 1] : 0)));
    }
  }
  bytes.push(0);
  return Uint8Array.from(bytes);
}

function occurrencePlaces(text, term) {
  const places = [];
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) places.push(at);
  return places;
}

test("a chain of two 3-grams finds the phrases the general merge finds, overlapping ones too", () => {
  let seed = 11;
  const random = () => ((seed = Math.imul(seed, 48271) % 2147483647) & 0xffff) / 0x10000;
  const texts = Array.from({ length: 400 }, () => Array.from({ length: 5 + Math.floor(random() * 200) },
    () => "工会会"[Math.floor(random() * 3)]).join(""));
  for (const term of ["工会会工", "会会会会", "会会工会会", "工会工会工会"]) {
    const chars = Array.from(term), grams = chars.slice(0, -2).map((_, i) => chars.slice(i, i + 3).join(""));
    const shard = positionsShard(texts, grams);
    const records = grams.map((gram) => readPositionCounts(shard, gram));
    const candidates = records.map((r) => r.docs).reduce((a, b) => intersect(a, b));
    const expected = texts.map((text, doc) => [doc, occurrences(text, term)]).filter(([, count]) => count);
    const last = grams.length - 1;
    const paired = pairedPlaces(candidates, records[0], records[last], last);
    assert.deepEqual(Array.from(paired.docs, (doc, i) => [doc, paired.counts[i]]), expected, term);
    const chain = [0, last], lists = chain.map((offset) => readPlaces(records[offset], candidates));
    const merged = phrases(candidates, chain, lists);
    assert.deepEqual(Array.from(merged.docs, (doc, i) => [doc, merged.counts[i]]), expected, term);
  }
});

test("advice for an empty result names what to try", () => {
  const [filters, shorter, fewer, script] = adviceItems("困难职工 送温暖", ["困难职工", "送温暖"], 3);
  assert.match(filters, /取消筛选.*3 篇/);
  assert.match(shorter, /减少字数.*“困难”/);
  assert.match(fewer, /少输入一个词/);
  assert.match(script, /简繁体本来就视为相同/);
  assert.deepEqual(adviceItems("会", ["会"], null).length, 1);
});
