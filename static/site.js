// Progressive enhancement only: every page reads and navigates without this script.
(function () {
  "use strict";
  // From file://, a folder link opens a directory listing: point folder links at their index.html.
  if (window.location.protocol === "file:") {
    document.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (/^[a-z]+:/i.test(href) || href.charAt(0) === "#") return;
      var parts = href.split("#");
      if (parts[0] === "" ) return;
      if (parts[0].slice(-1) === "/") {
        parts[0] += "index.html";
        a.setAttribute("href", parts.join("#"));
      }
    });
  }
})();
