// The search page: every result of the header box's query, with filters, order and snippets.
// The matching is search-engine.js's; this module only shows what it answers.
import { FACETS } from "./search-order.js";
import { adviceElement, element, metaText, siteEngine, snippetElement } from "./search-view.js";

const PAGE = 10;

const root = document.getElementById("archive-search");
const input = document.getElementById("archive-search-input");
const list = document.getElementById("archive-search-results");
const summary = document.getElementById("archive-search-summary");
const advice = document.getElementById("archive-search-advice");
const more = document.getElementById("archive-search-more");
const filters = Object.fromEntries(FACETS.map((name) => [name, document.getElementById(`archive-filter-${name}`)]));
const sort = document.getElementById("archive-sort");
const { engine } = siteEngine(root.dataset.index);

function selected() {
  const chosen = {};
  for (const [name, select] of Object.entries(filters)) {
    if (select.value !== "") chosen[name] = Number(select.value);
  }
  return chosen;
}

function showFacets(options) {
  for (const [name, values] of Object.entries(options)) {
    const select = filters[name];
    const keep = select.value;
    select.replaceChildren(option("", select.dataset.all),
      ...values.map(({ value, label, count }) => option(String(value), `${label}（${count}）`)));
    select.value = keep;
    if (select.value !== keep) select.value = "";
  }
}

function option(value, text) {
  const made = element("option", "", text);
  made.value = value;
  return made;
}

// ---- results ----

function resultItem(hit) {
  const item = element("li", "archive-result");
  item.dataset.reportId = hit.id;
  const link = element("a", "archive-result__title", hit.title);
  link.href = hit.url;
  item.append(link, element("div", "archive-result__meta", metaText(hit)),
              element("p", "archive-result__snippet"));
  return item;
}

// The passage around the first match, and the link taken to the section holding it.
function addSnippet(item, snippet) {
  item.lastChild.replaceWith(snippetElement("p", "archive-result__snippet", snippet));
  item.firstChild.href = snippet.url;
}

// Items for `docs`; their snippets come with `snippets()`, called once the items are shown:
// it settles when they are in.
async function resultItems(docs, wanted) {
  const hits = await engine.hits(docs);
  const items = hits.map(resultItem);
  const snippets = () => Promise.all(hits.map((hit, i) =>
    engine.snippet(hit.doc, wanted).then((snippet) => addSnippet(items[i], snippet))));
  return { items, snippets };
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
  const chosen = selected();
  const found = await engine.results(query, { filters: chosen, sort: sort.value });
  if (mine !== generation) return;
  const { terms: wanted, docs } = found;
  // The shown reports are asked for first, and shown as soon as they are in; everything else
  // waits for them.
  const { items, snippets } = await resultItems(docs.slice(0, PAGE), wanted);
  if (mine !== generation) return;
  current = { docs, shown: items.length, terms: wanted };
  list.replaceChildren(...items);
  summary.textContent = query ? `找到 ${docs.length} 篇报告` : "";
  list.dataset.query = query;
  list.dataset.total = String(docs.length);
  list.dataset.facets = "pending";
  list.dataset.status = "done";
  window.__archiveSearch = { query, ms: performance.now() - started, total: docs.length };
  more.hidden = current.shown >= docs.length;
  showAdvice(query, wanted, docs.length, Object.keys(chosen).length ? found.matched : null);
  // After the results are painted: their snippets, the filters' counts (from the facets/ shards
  // of every match), and the address (replaceState is slow).
  setTimeout(() => { if (mine === generation) settle(snippets(), mine); });
  setTimeout(() => { if (mine === generation) countFacets(found, mine); });
  setTimeout(() => { if (mine === generation) remember(query); });
}

function countFacets(found, mine) {
  found.facets(() => mine === generation).then((options) => {
    if (mine !== generation) return;
    showFacets(options);
    list.dataset.facets = "done";
  }).catch(failed);
}

// When a query finds nothing: what to try, with a button that lifts the filters when they
// are what left nothing.
function showAdvice(query, wanted, total, matched) {
  if (!query || total) { advice.replaceChildren(); return; }
  const box = adviceElement("archive-advice", query, wanted, matched);
  if (matched) {
    const clear = element("button", "md-button archive-advice__clear", "取消全部筛选");
    clear.type = "button";
    clear.addEventListener("click", () => {
      for (const select of Object.values(filters)) select.value = "";
      run().catch(failed);
    });
    box.append(clear);
  }
  advice.replaceChildren(box);
}

function settle(snippets, mine) {
  snippets.then(() => "done", () => "error")
    .then((status) => { if (mine === generation) list.dataset.snippets = status; });
}

async function showMore(mine) {
  const { docs, shown, terms: wanted } = current;
  const page = docs.slice(shown, shown + PAGE);
  list.dataset.snippets = "pending";
  const { items, snippets } = await resultItems(page, wanted);
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
