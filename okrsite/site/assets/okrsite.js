// okrsite: filter an outline as the reader types. Shipped with the site; nothing loads from elsewhere.
document.addEventListener("input", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("input[data-okr-filter]")) return;
  var outline = document.getElementById(box.getAttribute("data-okr-filter"));
  if (!outline) return;
  var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
  outline.querySelectorAll("[data-text]").forEach(function (item) {
    var text = item.getAttribute("data-text");
    item.hidden = !words.every(function (word) { return text.indexOf(word) >= 0; });
  });
  Array.prototype.slice.call(outline.querySelectorAll("details:not([data-text])")).reverse().forEach(function (branch) {
    var shown = !words.length || branch.querySelector("[data-text]:not([hidden])") !== null;
    branch.hidden = !shown;
    if (words.length && shown) branch.open = true;
  });
});

// Material fetches Mermaid from unpkg.com for a diagram unless a `mermaid` global exists, and readers have no
// internet: without a Mermaid the site ships itself (extra_javascript), a diagram shows its source as text.
if (typeof window.mermaid === "undefined" || window.mermaid instanceof Element) {
  window.mermaid = {
    initialize: function () {},
    render: function (id, text) {
      var source = document.createElement("pre");
      source.className = "okr-diagram-source";
      source.textContent = text;
      return Promise.resolve({ svg: source.outerHTML });
    },
  };
}

// Material's search dialog carries no accessible name; a screen reader announces it as "Search".
document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (dialog) {
  dialog.setAttribute("aria-label", "Search");
});
