/* The list filters on a phone: folded under their "Filters" toggle, so the results come
 * first. The panel is served open (so it works without JavaScript); this runs right
 * after it, before the page is shown, and folds it on narrow screens only. On a wide
 * screen the panel sits beside the results and stays open (its toggle is hidden). */
(function () {
  "use strict";
  var panel = document.querySelector(".filter-panel");
  if (!panel || !window.matchMedia) {
    return;
  }
  var narrow = window.matchMedia("(max-width: 49.99rem)");
  if (narrow.matches) {
    panel.open = false;
  }
  narrow.addEventListener("change", function (event) {
    if (!event.matches) {
      panel.open = true; // turned or widened: the toggle is hidden, so show the filters
    }
  });
})();
