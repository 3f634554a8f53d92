// What the search page and the header box share in the DOM: the engine over the site's index,
// a result's parts, and the advice given when nothing is found. Report text is only ever set as
// textContent.
import { SearchEngine } from "./search-engine.js";

// The engine over the index at `indexUrl` (the site's search/ folder), fetched relative to it.
export function siteEngine(indexUrl) {
  const base = new URL(indexUrl, document.baseURI);
  return { engine: new SearchEngine((path, init) => fetch(new URL(path, base), init)),
           root: new URL("..", base) };
}

export function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

export function metaText(hit) {
  return [hit.unit, hit.yearLabel, hit.type].join(" · ");
}

// The passage from engine.snippet(), its matches in <mark>.
export function snippetElement(tag, className, snippet) {
  const made = element(tag, className);
  if (snippet.before) made.append("…");
  for (const [text, marked] of snippet.parts) made.append(marked ? element("mark", "", text) : text);
  if (snippet.after) made.append("…");
  return made;
}

// What to try when a query finds nothing: `filtered` the number of reports the query finds
// without the page's filters, when some are set (null otherwise).
export function adviceItems(query, terms, filtered) {
  const items = [];
  if (filtered) items.push(`取消筛选：不加筛选时有 ${filtered} 篇报告包含“${query}”。`);
  const longest = terms.reduce((a, b) => (Array.from(b).length > Array.from(a).length ? b : a), "");
  if (Array.from(longest).length > 2) {
    const shorter = Array.from(longest).slice(0, 2).join("");
    items.push(`减少字数：报告须逐字包含所输入的内容，试试其中较短的词，如“${shorter}”。`);
  }
  if (terms.length > 1) items.push("少输入一个词：以空格分开的几个词，报告须全部包含。");
  items.push("不必换成简体或繁体再试：搜索时简繁体本来就视为相同，“工會”与“工会”找到的报告一样。");
  return items;
}

export function adviceElement(className, query, terms, filtered) {
  const box = element("div", className);
  box.append(element("p", `${className}-title`, `没有找到包含“${query}”的报告。可以试试：`));
  const list = element("ul", `${className}-list`);
  for (const text of adviceItems(query, terms, filtered)) list.append(element("li", "", text));
  box.append(list);
  return box;
}
