// Progressive enhancement only: every page reads and navigates without this script.
// It adds the search box and previews of citations and glossary terms (on hover or focus).
(() => {
  "use strict";
  const doc = document;
  const make = (tag, properties) => Object.assign(doc.createElement(tag), properties);

  // Search: its interface (search.js, search.css) and index load on first use. From file://,
  // local.js points folder links at their index.html and says why search cannot work there.
  const form = doc.querySelector("form.search");
  if (location.protocol === "file:") {
    doc.head.append(make("script", { src: doc.currentScript.dataset.local }));
  } else if (form) {
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      doc.head.append(make("link", { rel: "stylesheet", href: form.dataset.style }));
      import(new URL(form.dataset.module, location.href)).then((search) => search.start(form), () => { started = false; });
    };
    form.q.addEventListener("focus", start);
    form.q.addEventListener("input", start);
  }
  form?.addEventListener("submit", (event) => event.preventDefault());

  // Previews: a citation shows its entry of the reference list; a term, its definition, moved
  // out of the title attribute (a tooltip that keyboards cannot reach).
  for (const term of doc.querySelectorAll("a.term[title]")) {
    term.dataset.definition = term.title;
    term.removeAttribute("title");
  }
  let pop = null;
  let owner = null;
  let timer = 0;

  function preview(link) {
    const box = make("div");
    if (link.matches(".term")) {
      box.append(make("p", { textContent: ": " + link.dataset.definition }));
      box.firstChild.prepend(make("strong", { textContent: link.textContent }));
      return box;
    }
    const ref = doc.getElementById((link.hash ?? link.getAttribute("href")).slice(1))?.cloneNode(true); // an SVG link (a figure's) has no hash
    if (!ref) return null;
    ref.querySelector(".backrefs")?.remove();
    // A publication's entry lists the parts its uses cite: the preview names this use's part alone.
    const parts = ref.querySelector(".ref-locators");
    if (parts) {
      const part = [...parts.querySelectorAll(".ref-locator")].find((item) => item.dataset.uses.split(" ").includes(link.parentNode.id));
      if (part) parts.replaceWith(make("p", { className: "ref-locators", textContent: "Part cited: " + part.querySelector(".locator-text").textContent }));
      else parts.remove();
    }
    ref.querySelectorAll("a").forEach((a) => { a.tabIndex = -1; });
    box.append(make("p", { className: "popover-number", textContent: "Reference " + link.textContent }), ...ref.childNodes);
    return box;
  }

  function show(link) {
    clearTimeout(timer);
    const box = link !== owner && preview(link);
    if (!box) return;
    hide();
    if (!pop) {
      pop = make("div", { id: "popover", className: "popover", onmouseenter: () => clearTimeout(timer), onmouseleave: hideSoon });
      pop.setAttribute("role", "tooltip");
      doc.getElementById("main").append(pop); // inside a landmark
    }
    pop.replaceChildren(box);
    pop.hidden = false;
    owner = link;
    link.setAttribute("aria-describedby", "popover");
    // Below the link, or above where there is no room below; never past the sides of the window.
    const r = link.getBoundingClientRect();
    const height = pop.offsetHeight + 6;
    const top = r.bottom + height > innerHeight && r.top > height ? r.top - height : r.bottom + 6;
    pop.style.left = scrollX + Math.max(8, Math.min(r.left, doc.documentElement.clientWidth - pop.offsetWidth - 8)) + "px";
    pop.style.top = scrollY + top + "px";
  }

  function hide() {
    clearTimeout(timer);
    if (!owner) return;
    owner.removeAttribute("aria-describedby");
    owner = null;
    pop.hidden = true;
  }

  function hideSoon() {
    clearTimeout(timer);
    timer = setTimeout(hide, 250);
  }

  const on = (type, handler) => doc.addEventListener(type, (event) => handler(event, event.target.closest?.(".cite > a, a.term")));
  on("mouseover", (event, link) => {
    if (!link) return;
    clearTimeout(timer);
    timer = setTimeout(show, 120, link);
  });
  on("mouseout", (event, link) => {
    if (link && !link.contains(event.relatedTarget)) hideSoon();
  });
  on("focusin", (event, link) => {
    if (link) show(link);
    else if (!pop?.contains(event.target)) hide();
  });
  on("focusout", (event) => {
    if (event.target === owner) hide();
  });
  on("keydown", (event) => {
    if (event.key === "Escape") hide();
  });
  addEventListener("resize", hide);
})();
