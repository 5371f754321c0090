// Loaded by site.js only where the site is read from disk (file://).
(() => {
  "use strict";
  // A folder link would open a directory listing: point it at the folder's index.html.
  for (const a of document.querySelectorAll("a[href]")) {
    const href = a.getAttribute("href");
    if (!/^([a-z]+:|#)/i.test(href)) a.setAttribute("href", href.replace(/^([^#]*\/)(#|$)/, "$1index.html$2"));
  }

  // Browsers do not let a page opened as a file load the search index: the search box says so.
  const form = document.querySelector("form.search");
  if (!form) return;
  const panel = form.querySelector("#search-results");
  panel.querySelector(".search-status").textContent =
    "Search needs the site to be served by a web server: browsers block the search index on pages opened as files. Use the topic list instead.";
  form.q.addEventListener("focus", () => {
    document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href: form.dataset.style }));
  }, { once: true });
  form.q.addEventListener("input", () => { panel.hidden = !form.q.value.trim(); });
})();
