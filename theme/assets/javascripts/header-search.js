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

// The list under the box: its state, and what each key and answer does to it.
class Suggestions {
  constructor(form, input) {
    const { engine, root } = siteEngine(form.dataset.index);
    Object.assign(this, { form, input, engine, root }, panelParts());
    this.generation = 0;  // a newer query makes an older one's answer void
    this.timer = 0;
    this.options = [];
    this.active = -1;
    this.shownQuery = null;
    form.append(this.panel);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
  }

  listen() {
    const { input, form, panel } = this;
    input.addEventListener("input", (event) => { if (!event.isComposing) this.later(); });
    input.addEventListener("compositionend", () => this.later());
    input.addEventListener("keydown", (event) => this.onKey(event));
    input.addEventListener("focus", () => {
      this.engine.ready().catch(() => {});  // the index's first files, while the reader starts typing
      if (input.value.trim()) this.reopen();
    });
    // A click in the box shows again the list that Esc closed.
    input.addEventListener("click", () => { if (input.value.trim() === this.shownQuery) this.open(); });
    panel.addEventListener("mousedown", (event) => event.preventDefault());  // the box keeps the focus
    form.addEventListener("focusout", (event) => { if (!form.contains(event.relatedTarget)) this.close(); });
    document.addEventListener("pointerdown", (event) => { if (!form.contains(event.target)) this.close(); });
  }

  open() {
    this.panel.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  }

  close() {
    this.panel.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.select(-1);
  }

  select(next) {
    this.active = next;
    this.options.forEach((option, i) => option.setAttribute("aria-selected", String(i === next)));
    if (next < 0) {
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    this.input.setAttribute("aria-activedescendant", this.options[next].id);
    this.options[next].scrollIntoView({ block: "nearest" });
  }

  optionFor(hit, i) {
    const option = element("a", "archive-suggest__option");
    option.id = `archive-suggest-option-${i}`;
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    option.tabIndex = -1;
    option.href = new URL(hit.url, this.root).href;
    option.dataset.reportId = hit.id;
    option.append(element("span", "archive-suggest__title", hit.title),
                  element("span", "archive-suggest__meta", metaText(hit)),
                  element("span", "archive-suggest__snippet"));
    option.addEventListener("mousemove", () => { if (this.active !== i) this.select(i); });
    return option;
  }

  show(query, found, hits) {
    const total = found.docs.length;
    this.options = hits.map((hit, i) => this.optionFor(hit, i));
    this.listbox.replaceChildren(...this.options);
    this.status.textContent = total > SHOWN ? `找到 ${total} 篇报告，以下是前 ${SHOWN} 篇` : `找到 ${total} 篇报告`;
    this.advice.replaceChildren(...(total ? [] : [adviceElement("archive-suggest__advice", query, found.terms, null)]));
    this.all.hidden = !total;
    this.all.textContent = `查看全部 ${total} 篇结果`;
    this.all.href = `${this.form.action}?${new URLSearchParams({ q: query })}`;
    this.shownQuery = query;
    Object.assign(this.panel.dataset, { query, total: String(total), status: "done" });
    this.select(-1);
    this.open();
  }

  // Each option's passage around the first match, as its texts arrive; the option then links
  // to the section holding it.
  addSnippets(hits, terms, mine) {
    this.panel.dataset.snippets = "pending";
    const filled = hits.map((hit, i) => this.engine.snippet(hit.doc, terms).then((snippet) => {
      if (mine !== this.generation) return;
      this.options[i].lastChild.replaceWith(snippetElement("span", "archive-suggest__snippet", snippet));
      this.options[i].href = new URL(snippet.url, this.root).href;
    }));
    Promise.all(filled).then(() => "done", () => "error")
      .then((state) => { if (mine === this.generation) this.panel.dataset.snippets = state; });
  }

  async run() {
    clearTimeout(this.timer);
    const query = this.input.value.trim();
    const mine = ++this.generation;
    if (!query) { this.shownQuery = null; this.close(); return; }
    this.panel.dataset.status = "searching";
    const found = await this.engine.results(query);
    if (mine !== this.generation) return;
    const hits = await this.engine.hits(found.docs.slice(0, SHOWN));
    if (mine !== this.generation) return;
    this.show(query, found, hits);
    this.addSnippets(hits, found.terms, mine);
  }

  search() {
    this.run().catch((error) => {
      this.panel.dataset.status = "error";
      this.status.textContent = `搜索出错：${error.message}`;
      this.listbox.replaceChildren();
      this.options = [];
      this.open();
    });
  }

  later() {
    clearTimeout(this.timer);
    if (!this.input.value.trim()) this.search();  // an emptied box closes at once
    else this.timer = setTimeout(() => this.search(), DEBOUNCE_MS);
  }

  // The list for the box's query: shown again if it is the one made last, else asked for.
  reopen() {
    if (this.input.value.trim() === this.shownQuery) this.open();
    else this.search();
  }

  onKey(event) {
    if (event.isComposing) return;  // the input method's own keys
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    const open = !this.panel.hidden;
    if (step) {
      event.preventDefault();
      if (open) this.move(step);
      else this.reopen();
    } else if (event.key === "Enter" && open && this.active >= 0) {
      event.preventDefault();
      location.assign(this.options[this.active].href);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();  // or the browser also empties the box
      this.close();
    }
  }

  // One option down or up; past either end, back to the box.
  move(step) {
    const count = this.options.length;
    if (!count) return;
    const next = this.active < 0 && step < 0 ? count - 1 : this.active + step;
    this.select(next < 0 || next >= count ? -1 : next);
  }
}

function main() {
  const form = document.querySelector(".archive-search-form");
  const input = document.getElementById("archive-search-input");
  if (!form || !input) return;
  focusOnSlash(input);
  // The search page shows every result as one types: there the box needs no list of its own.
  if (!document.getElementById("archive-search")) new Suggestions(form, input).listen();
}

main();
