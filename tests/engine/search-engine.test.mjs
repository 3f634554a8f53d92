// The search engine of the site's pages, under Node: the same answers as `report-archive search`.
//
// Run by tests/test_search_engine.py, which builds the sites, asks `report-archive search QUERY
// --site SITE` for each query and passes its output in SEARCH_ENGINE_SITES, as JSON:
//   [{"site": "path/to/site", "answers": {"工会": "<the command's output>", ...}}, ...]
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";

import { SearchEngine } from "../../theme/assets/javascripts/search-engine.js";
import { cheapestChain, occurrences } from "../../theme/assets/javascripts/search-match.js";
import { adviceItems } from "../../theme/assets/javascripts/search-view.js";

const SITES = JSON.parse(process.env.SEARCH_ENGINE_SITES || "[]");

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
  const titles = await engine.titles();
  return Array.from(ordered, (doc) => [titles.id(doc), countOf.get(doc)]);
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
      const [year] = everything.facets().year;
      const only = await engine.results(query, { filters: { year: year.value } });
      assert.equal(only.docs.length, year.count);
      assert.equal(only.matched, everything.docs.length);
      assert.ok((await engine.hits(only.docs)).every((hit) => hit.year === year.value));
      const none = await engine.results(query, { filters: { year: 1801 } });
      assert.equal(none.docs.length, 0);
      assert.deepEqual(none.facets().year.at(-1), { value: 1801, label: "1801年", count: 0 });
    });

    test("a snippet is the text as shown, its matches marked", async () => {
      const query = queries.find((q) => q.trim());
      const found = await engine.results(query);
      for (const doc of found.docs.slice(0, 5)) {
        const text = await engine.text(doc);
        const snippet = engine.snippet(text, found.terms);
        const passage = snippet.parts.map(([part]) => part).join("");
        assert.ok(text.t.includes(passage), "the passage is a stretch of the text");
        const marked = snippet.parts.filter(([, mark]) => mark);
        assert.ok(marked.length, `a match is marked in ${text.r}`);
        assert.ok(snippet.url.startsWith(text.u));
      }
    });
  });
}

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
  await engine.results("工会");
  await engine.results("工会 职工");
  assert.equal(new Set(fetched).size, fetched.length);
  for (const path of fetched) {
    assert.match(path, /^(manifest\.json|fold\.json|facets\.bin|units\.bin|docs\.bin|[dp]\/\d+\.bin|text\/\d+\.bin)$/);
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

test("advice for an empty result names what to try", () => {
  const [filters, shorter, fewer, script] = adviceItems("困难职工 送温暖", ["困难职工", "送温暖"], 3);
  assert.match(filters, /取消筛选.*3 篇/);
  assert.match(shorter, /减少字数.*“困难”/);
  assert.match(fewer, /少输入一个词/);
  assert.match(script, /简繁体本来就视为相同/);
  assert.deepEqual(adviceItems("会", ["会"], null).length, 1);
});
