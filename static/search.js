// The search box's interface, loaded by site.js when the reader first uses the box.
// Pagefind's index (pagefind/pagefind.js and its WebAssembly) loads on the first query;
// results open under the box, in this page: titles, an excerpt, and matching sections.

export function start(form) {
  const input = form.querySelector("input");
  const panel = form.querySelector("#search-results");
  const status = panel.querySelector(".search-status");
  const list = panel.querySelector("ol");
  const root = new URL(form.getAttribute("data-root") || "./", location.href);
  let engine = null;
  let ticket = 0;

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", root).href).then(async (pagefind) => {
        await pagefind.options({ baseUrl: root.pathname, excerptLength: 24 });
        if (pagefind.init) await pagefind.init();
        return pagefind;
      });
      engine.catch(() => { engine = null; });
    }
    return engine;
  }

  function close() {
    panel.hidden = true;
    list.replaceChildren();
    status.textContent = "";
  }

  function entry(href, title, excerpt, className) {
    const item = document.createElement("li");
    item.className = className;
    const a = document.createElement("a");
    a.href = href;
    a.textContent = title;
    item.appendChild(a);
    if (excerpt) {
      const p = document.createElement("p");
      p.innerHTML = excerpt; // Pagefind's excerpt: the page's own text, escaped, with <mark> around matches
      item.appendChild(p);
    }
    return item;
  }

  function render(query, results, total) {
    list.replaceChildren(...results.map((result) => {
      const item = entry(result.url, result.meta.title || result.url, result.excerpt, "search-result");
      const sections = (result.sub_results || []).filter((s) => s.url !== result.url).slice(0, 3);
      if (sections.length) {
        const inner = document.createElement("ul");
        sections.forEach((s) => inner.appendChild(entry(s.url, s.title, "", "search-sub")));
        item.appendChild(inner);
      }
      return item;
    }));
    status.textContent = total === 0 ? `No results for “${query}”.` : `${total} ${total === 1 ? "result" : "results"} for “${query}”.`;
  }

  async function run() {
    const query = input.value.trim();
    const mine = ++ticket;
    if (!query) { close(); return; }
    panel.hidden = false;
    status.textContent = "Searching…";
    try {
      const pagefind = await load();
      const search = await pagefind.debouncedSearch(query, {}, 120);
      if (!search || mine !== ticket) return;
      const data = await Promise.all(search.results.slice(0, 8).map((r) => r.data()));
      if (mine === ticket) render(query, data, search.results.length);
    } catch {
      if (mine === ticket) status.textContent = "Search is not available on this copy of the site. Use the topic list instead.";
    }
  }

  input.addEventListener("input", run);
  input.addEventListener("focus", () => {
    load().catch(() => {});
    if (list.children.length || status.textContent) panel.hidden = false;
  });
  form.addEventListener("submit", run);
  form.addEventListener("keydown", (event) => {
    const links = [...list.querySelectorAll("a")];
    const index = links.indexOf(document.activeElement);
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      close();
      input.focus();
    } else if (event.key === "ArrowDown" && links.length) {
      event.preventDefault();
      links[Math.min(index + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && index >= 0) {
      event.preventDefault();
      (index === 0 ? input : links[index - 1]).focus();
    }
  });
  form.addEventListener("focusout", (event) => {
    if (!form.contains(event.relatedTarget)) panel.hidden = true;
  });
  load().catch(() => {});
  if (input.value.trim()) run();
}
