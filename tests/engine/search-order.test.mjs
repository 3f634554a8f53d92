// The order of a query's results, picked a page at a time (search-order.js), against a plain
// sort of all of them: the same documents in the same order, ties and filters included.
//
// Over a list the size of a large archive's commonest term, made here, and over the real answers
// of the sites tests/test_search_engine.py builds (SEARCH_ENGINE_SITES, see search-engine.test.mjs).
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";

import { SearchEngine } from "../../theme/assets/javascripts/search-engine.js";
import { largest, ordered } from "../../theme/assets/javascripts/search-order.js";

const SITES = JSON.parse(process.env.SEARCH_ENGINE_SITES || "[]");

// The order as a plain comparator sort gives it: score, then the newer year (unknown last),
// then index order; or the year first.
function plainOrder(index, docs, scores, byYear) {
  const year = index.facets.yearOrder, scoreOf = new Map(Array.from(docs, (doc, i) => [doc, scores[i]]));
  const byScore = (a, b) => scoreOf.get(b) - scoreOf.get(a);
  const newer = (a, b) => year[b] - year[a];
  return Array.from(docs).sort((a, b) => (byYear ? newer(a, b) || byScore(a, b) : byScore(a, b) || newer(a, b)) || a - b);
}

// A made-up archive of `size` reports, newest year first, and a query matching `share` of them
// with scores of few values (many ties), as a common term's matches and keywords give.
function madeUp(size, share) {
  let seed = 7;
  const random = () => ((seed = Math.imul(seed, 48271) % 2147483647) & 0xffff) / 0x10000;
  const yearOrder = new Int16Array(size), type = new Uint8Array(size);
  for (let doc = 0; doc < size; doc++) {
    yearOrder[doc] = random() < 0.02 ? -1 : 124 - Math.floor((doc / size) * 20);  // some years unknown
    type[doc] = Math.floor(random() * 7);
  }
  const docs = [], scores = [];
  for (let doc = 0; doc < size; doc++) {
    if (random() >= share) continue;
    docs.push(doc);
    const matches = 1 + Math.floor(random() ** 4 * 30);
    scores.push(matches + (random() < 0.05 ? 20 : 0));
  }
  const index = { manifest: { docs: size, year_base: 1900 }, facets: { yearOrder, year: yearOrder.map((y) => Math.max(y, 0)), type } };
  return { index, docs: Uint32Array.from(docs), scores: Float64Array.from(scores) };
}

// The ranking, read as the pages read it, equals the plain order.
function assertSameOrder(ranking, expected, label) {
  assert.equal(ranking.length, expected.length, label);
  for (const [from, to] of [[0, 8], [0, 10], [10, 20], [20, 30], [0, 64], [60, 70], [0, 200]]) {
    assert.deepEqual(ranking.slice(from, to), expected.slice(from, to), `${label}: ${from}..${to}`);
  }
  assert.deepEqual([...ranking], expected, `${label}: all`);
  assert.deepEqual(ranking.slice(5, 15), expected.slice(5, 15), `${label}: a page again, after all`);
}

test("the first pages and the whole order are a plain sort's, ties included", () => {
  const { index, docs, scores } = madeUp(100015, 0.4);
  assert.ok(new Set(scores).size < 60 && docs.length > 30000, "many documents, few scores: ties");
  for (const byYear of [false, true]) {
    const expected = plainOrder(index, docs, scores, byYear);
    assertSameOrder(ordered(index, docs, scores, {}, byYear), expected, byYear ? "by year" : "by score");
  }
});

test("a filter orders the documents it keeps as a plain sort of them does", () => {
  const { index, docs, scores } = madeUp(20000, 0.5);
  const keep = Array.from(docs.keys()).filter((i) => index.facets.type[docs[i]] === 3 && index.facets.year[docs[i]] === 120);
  const expected = plainOrder(index, keep.map((i) => docs[i]), keep.map((i) => scores[i]), false);
  assertSameOrder(ordered(index, docs, scores, { type: 3, year: 2020 }, false), expected, "filtered");
});

test("an archive too large to pack a key in a double is sorted by comparing", () => {
  const { index, docs, scores } = madeUp(3000, 0.5);
  index.manifest.docs = 2 ** 21;  // documents beyond those made are matched by none
  const yearOrder = new Int16Array(2 ** 21);
  yearOrder.set(index.facets.yearOrder);
  index.facets.yearOrder = yearOrder;
  assertSameOrder(ordered(index, docs, scores, {}, false), plainOrder(index, docs, scores, false), "compared");
});

test("the largest keys are picked in order, however few or many are asked for", () => {
  const keys = Float64Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5003);
  const sorted = Array.from(keys).sort((a, b) => b - a);
  for (const count of [0, 1, 2, 10, 64, 5000]) assert.deepEqual(Array.from(largest(keys, count)), sorted.slice(0, count));
  assert.deepEqual(Array.from(largest(new Float64Array(0), 0)), []);
});

// The engine's answers over the built sites, each in the order a plain sort of its scores gives.
for (const { site, answers } of SITES) {
  test(`the engine's order over ${site} is a plain sort's`, async () => {
    const engine = new SearchEngine(async (path) => new Response(await readFile(join(site, "search", path))));
    for (const query of Object.keys(answers)) {
      const { docs, scores } = await engine.search(query);
      for (const sort of ["relevance", "year"]) {
        const expected = plainOrder(engine.index, docs, scores, sort === "year");
        assertSameOrder((await engine.results(query, { sort })).docs, expected, `${query} by ${sort}`);
      }
    }
  });
}
