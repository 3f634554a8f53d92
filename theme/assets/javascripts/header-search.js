// The header's search box on every page: `/` puts the cursor in it, and on pages other than the
// search page it shows the first results as one types, from the same engine as the search page.
// Enter (or 查看全部) opens the search page with every result; ↑/↓ choose a result, Enter opens
// it, Esc closes the list. The input is an ARIA combobox, the list a listbox of options.
import { adviceElement, element, metaText, siteEngine, snippetElement } from "./search-view.js";

const SHOWN = 8;
const DEBOUNCE_MS = 120;  // a query per pause in typing, not per keystroke

// A field that takes typed text (Material's menus are checkboxes: not those).
const TYPED = "textarea, select, input:not([type=checkbox], [type=radio], [type=button], [type=submit], [type=reset])";
function editable(target) {
  return target instanceof HTMLElement && (target.isContentEditable || target.matches(TYPED));
}

// `/` focuses the box, unless one is typing in a field already.
function focusOnSlash(input) {
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (editable(event.target)) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
  const hint = element("kbd", "archive-search-form__key", "/");
  hint.setAttribute("aria-hidden", "true");
  hint.title = "按 / 键搜索";
  input.after(hint);
}

function panelParts() {
  const panel = element("div", "archive-suggest");
  panel.id = "archive-suggest";
  panel.hidden = true;
  const status = element("p", "archive-suggest__status");
  status.setAttribute("aria-live", "polite");
  const listbox = element("div", "archive-suggest__list");
  listbox.id = "archive-suggest-list";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", "搜索结果");
  const advice = element("div", "archive-suggest__advice-box");
  const all = element("a", "archive-suggest__all");
  panel.append(status, listbox, advice, all);
  return { panel, status, listbox, advice, all };
}

function suggestions(form, input) {
  const { engine, root } = siteEngine(form.dataset.index);
  const { panel, status, listbox, advice, all } = panelParts();
  form.append(panel);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);

  let generation = 0;  // a newer query makes an older one's answer void
  let timer = 0;
  let options = [];
  let active = -1;
  let shownQuery = null;

  function open() {
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
    select(-1);
  }

  function select(next) {
    active = next;
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
    if (active < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  function optionFor(hit, i) {
    const option = element("a", "archive-suggest__option");
    option.id = `archive-suggest-option-${i}`;
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    option.tabIndex = -1;
    option.href = new URL(hit.url, root).href;
    option.dataset.reportId = hit.id;
    option.append(element("span", "archive-suggest__title", hit.title),
                  element("span", "archive-suggest__meta", metaText(hit)),
                  element("span", "archive-suggest__snippet"));
    option.addEventListener("mousemove", () => { if (active !== i) select(i); });
    return option;
  }

  function show(query, found, hits) {
    options = hits.map(optionFor);
    listbox.replaceChildren(...options);
    const total = found.docs.length;
    status.textContent = total > SHOWN ? `找到 ${total} 篇报告，以下是前 ${SHOWN} 篇` : `找到 ${total} 篇报告`;
    advice.replaceChildren(...(total ? [] : [adviceElement("archive-suggest__advice", query, found.terms, null)]));
    all.hidden = !total;
    all.textContent = `查看全部 ${total} 篇结果`;
    all.href = `${form.action}?${new URLSearchParams({ q: query })}`;
    shownQuery = query;
    panel.dataset.query = query;
    panel.dataset.total = String(total);
    panel.dataset.status = "done";
    select(-1);
    open();
  }

  // Each option's passage around the first match, as its texts arrive; the option then links
  // to the section holding it.
  function addSnippets(hits, found, mine) {
    panel.dataset.snippets = "pending";
    const filled = hits.map((hit, i) => Promise.resolve(hit.text || engine.text(hit.doc)).then((text) => {
      if (mine !== generation) return;
      const snippet = engine.snippet(text, found.terms);
      options[i].lastChild.replaceWith(snippetElement("span", "archive-suggest__snippet", snippet));
      options[i].href = new URL(snippet.url, root).href;
    }));
    Promise.all(filled).then(() => "done", () => "error")
      .then((state) => { if (mine === generation) panel.dataset.snippets = state; });
  }

  async function run() {
    clearTimeout(timer);
    const query = input.value.trim();
    const mine = ++generation;
    if (!query) { shownQuery = null; close(); return; }
    panel.dataset.status = "searching";
    const found = await engine.results(query);
    if (mine !== generation) return;
    const hits = await engine.hits(found.docs.slice(0, SHOWN));
    if (mine !== generation) return;
    show(query, found, hits);
    addSnippets(hits, found, mine);
  }

  function failed(error) {
    panel.dataset.status = "error";
    status.textContent = `搜索出错：${error.message}`;
    listbox.replaceChildren();
    options = [];
    open();
  }

  function later() {
    clearTimeout(timer);
    if (!input.value.trim()) { run().catch(failed); return; }  // an emptied box closes at once
    timer = setTimeout(() => run().catch(failed), DEBOUNCE_MS);
  }

  // The list for the box's query: shown again if it is the one made last, else asked for.
  function reopen() {
    if (input.value.trim() === shownQuery) open();
    else run().catch(failed);
  }

  function onKey(event) {
    if (event.isComposing) return;  // the input method's own keys
    const moves = { ArrowDown: 1, ArrowUp: -1 };
    if (event.key in moves) {
      event.preventDefault();
      if (panel.hidden) { reopen(); return; }
      if (!options.length) return;
      const next = active < 0 && moves[event.key] < 0 ? options.length - 1 : active + moves[event.key];
      select(next < 0 || next >= options.length ? -1 : next);
    } else if (event.key === "Enter" && active >= 0 && !panel.hidden) {
      event.preventDefault();
      location.assign(options[active].href);
    } else if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();  // or the browser also empties the box
      close();
    }
  }

  input.addEventListener("input", (event) => { if (!event.isComposing) later(); });
  input.addEventListener("compositionend", later);
  input.addEventListener("keydown", onKey);
  input.addEventListener("focus", () => {
    engine.ready().catch(() => {});  // the index's first files, while the reader starts typing
    if (input.value.trim()) reopen();
  });
  panel.addEventListener("mousedown", (event) => event.preventDefault());  // the box keeps the focus
  form.addEventListener("focusout", (event) => { if (!form.contains(event.relatedTarget)) close(); });
  document.addEventListener("pointerdown", (event) => { if (!form.contains(event.target)) close(); });
}

function main() {
  const form = document.querySelector(".archive-search-form");
  const input = document.getElementById("archive-search-input");
  if (!form || !input) return;
  focusOnSlash(input);
  // The search page shows every result as one types: there the box needs no list of its own.
  if (!document.getElementById("archive-search")) suggestions(form, input);
}

main();
