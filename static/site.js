// Progressive enhancement only: every page reads and navigates without this script.
// It adds citation previews, glossary definitions on hover or focus, and the search box.
(function () {
  "use strict";
  var doc = document;

  // From file://, a folder link opens a directory listing: point folder links at their index.html.
  if (location.protocol === "file:") {
    doc.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (/^[a-z]+:/i.test(href) || href.charAt(0) === "#") return;
      var parts = href.split("#");
      if (parts[0] === "") return;
      if (parts[0].slice(-1) === "/") {
        parts[0] += "index.html";
        a.setAttribute("href", parts.join("#"));
      }
    });
  }

  // On phones the topic list is one scrolling row: bring the current topic into view.
  var current = doc.querySelector(".topics [aria-current='page']");
  var row = current && current.closest("ol");
  if (row && row.scrollWidth > row.clientWidth) {
    row.scrollLeft = current.getBoundingClientRect().left - row.getBoundingClientRect().left - 16;
  }

  // ---- Popovers: a citation shows its reference (quoted passage and source); a term its definition.
  // Citations read their reference from this page's own list (#ref-N): nothing is fetched.
  var TRIGGER = "sup.cite > a, a.term";
  var pop = null;
  var owner = null;
  var showTimer = 0;
  var hideTimer = 0;

  doc.querySelectorAll("a.term[title]").forEach(function (a) {
    a.setAttribute("data-definition", a.getAttribute("title"));
    a.removeAttribute("title"); // the popover replaces the tooltip, which keyboards cannot reach
  });

  function popover() {
    if (!pop) {
      pop = doc.createElement("div");
      pop.id = "popover";
      pop.className = "popover";
      pop.setAttribute("role", "tooltip");
      pop.hidden = true;
      pop.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      pop.addEventListener("mouseleave", function () { scheduleHide(); });
      (doc.getElementById("main") || doc.body).appendChild(pop); // inside a landmark
    }
    return pop;
  }

  function citationContent(link) {
    var href = link.getAttribute("href") || "";
    var ref = href.charAt(0) === "#" ? doc.getElementById(href.slice(1)) : null;
    if (!ref) return null;
    var box = doc.createElement("div");
    var number = doc.createElement("p");
    number.className = "popover-number";
    number.textContent = "Reference " + link.textContent;
    box.appendChild(number);
    Array.prototype.forEach.call(ref.children, function (child) {
      if (child.classList.contains("backrefs")) return;
      var copy = child.cloneNode(true);
      copy.removeAttribute("id");
      box.appendChild(copy);
    });
    box.querySelectorAll("a").forEach(function (a) { a.tabIndex = -1; });
    return box;
  }

  function termContent(link) {
    var text = link.getAttribute("data-definition");
    if (!text) return null;
    var box = doc.createElement("p");
    var name = doc.createElement("strong");
    name.textContent = link.textContent;
    box.appendChild(name);
    box.appendChild(doc.createTextNode(": " + text));
    return box;
  }

  function show(link) {
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    if (owner === link) return;
    var content = link.classList.contains("term") ? termContent(link) : citationContent(link);
    if (!content) return;
    hide();
    var p = popover();
    p.className = "popover " + (link.classList.contains("term") ? "popover-term" : "popover-cite");
    p.replaceChildren(content);
    p.hidden = false;
    owner = link;
    link.setAttribute("aria-describedby", p.id);
    place(p, link);
  }

  function place(p, link) {
    var r = link.getBoundingClientRect();
    var width = doc.documentElement.clientWidth;
    var left = Math.max(8, Math.min(r.left, width - p.offsetWidth - 8));
    var below = r.bottom + 6;
    var above = r.top - p.offsetHeight - 6;
    var top = below + p.offsetHeight > window.innerHeight && above > 0 ? above : below;
    p.style.left = left + window.scrollX + "px";
    p.style.top = top + window.scrollY + "px";
  }

  function hide() {
    clearTimeout(showTimer);
    if (!owner) return;
    owner.removeAttribute("aria-describedby");
    owner = null;
    pop.hidden = true;
  }

  function scheduleHide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  doc.addEventListener("mouseover", function (event) {
    var link = event.target.closest && event.target.closest(TRIGGER);
    if (!link) return;
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    showTimer = setTimeout(function () { show(link); }, 120);
  });
  doc.addEventListener("mouseout", function (event) {
    var link = event.target.closest && event.target.closest(TRIGGER);
    if (link && !link.contains(event.relatedTarget)) scheduleHide();
  });
  doc.addEventListener("focusin", function (event) {
    var link = event.target.closest && event.target.closest(TRIGGER);
    if (link) show(link);
    else if (!(pop && pop.contains(event.target))) hide();
  });
  doc.addEventListener("focusout", function (event) {
    if (owner && event.target === owner) hide();
  });
  doc.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && owner) hide();
  });
  window.addEventListener("resize", hide);

  // ---- Search: the interface (search.js) and Pagefind's index load when the reader first uses the box.
  var form = doc.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var started = null;
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });

  function start() {
    if (!started) {
      started = import(new URL(form.getAttribute("data-module"), location.href).href)
        .then(function (search) { search.start(form); })
        .catch(function () { started = null; });
    }
    return started;
  }

  if (location.protocol === "file:") {
    input.addEventListener("input", function () {
      var panel = form.querySelector(".search-results");
      panel.hidden = !input.value.trim();
      panel.querySelector(".search-status").textContent =
        "Search needs the site to be served by a web server: browsers block the search index on pages opened as files. Use the topic list instead.";
    });
  } else {
    input.addEventListener("focus", start, { once: true });
    input.addEventListener("input", start, { once: true });
  }
})();
