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

// Alignment maps: zoom with the buttons or ctrl + wheel, pan by dragging. Without this script a map's view still scrolls;
// the buttons show only with it (the okr-js class). Listeners sit on the document, so a page swapped in later works too.
document.documentElement.classList.add("okr-js");
(function () {
  var STEP = 1.25, SMALLEST = 0.2, LARGEST = 3, drag = null, dragged = false;
  function scaleOf(svg) { return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; }
  function zoom(view, scale, x, y) { // (x, y): the point of the view, in its pixels, that stays where it is
    var svg = view.querySelector("svg.okr-map");
    if (!svg) return;
    var box = svg.viewBox.baseVal, before = scaleOf(svg);
    scale = Math.min(LARGEST, Math.max(SMALLEST, scale));
    svg.setAttribute("width", Math.round(box.width * scale));
    svg.setAttribute("height", Math.round(box.height * scale));
    view.scrollLeft = (view.scrollLeft + x) * scale / before - x;
    view.scrollTop = (view.scrollTop + y) * scale / before - y;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".okr-map-block button[data-okr-zoom]");
    if (button) {
      var view = button.closest(".okr-map-block").querySelector(".okr-map-view"), svg = view.querySelector("svg.okr-map");
      var how = button.getAttribute("data-okr-zoom"), scale = scaleOf(svg);
      zoom(view, how === "in" ? scale * STEP : how === "out" ? scale / STEP : 1, view.clientWidth / 2, view.clientHeight / 2);
    } else if (dragged && event.target.closest && event.target.closest(".okr-map-view")) {
      event.preventDefault(); // the end of a drag is not a click on the box it ends over
    }
    dragged = false;
  }, true);
  document.addEventListener("wheel", function (event) {
    var view = event.ctrlKey && event.target.closest && event.target.closest(".okr-map-view");
    if (!view) return;
    event.preventDefault();
    var frame = view.getBoundingClientRect(), svg = view.querySelector("svg.okr-map");
    zoom(view, scaleOf(svg) * (event.deltaY < 0 ? STEP : 1 / STEP), event.clientX - frame.left, event.clientY - frame.top);
  }, { passive: false });
  document.addEventListener("pointerdown", function (event) {
    var view = event.pointerType === "mouse" && event.button === 0 && event.target.closest && event.target.closest(".okr-map-view");
    drag = view ? { view: view, x: event.clientX, y: event.clientY, left: view.scrollLeft, top: view.scrollTop } : null;
    dragged = false;
  });
  document.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (!dragged && Math.abs(dx) + Math.abs(dy) < 5) return;
    dragged = true;
    drag.view.classList.add("okr-dragging");
    drag.view.scrollLeft = drag.left - dx;
    drag.view.scrollTop = drag.top - dy;
  });
  document.addEventListener("pointerup", function () {
    if (drag) drag.view.classList.remove("okr-dragging");
    drag = null;
  });
  document.addEventListener("dragstart", function (event) {
    if (event.target.closest && event.target.closest(".okr-map-view")) event.preventDefault(); // drag the map, not a box's link
  });
})();
