/* Furigana by school grade (scripts/furigana.py). Each <ruby> says the grade
   of its hardest kanji (data-g); the reader picks a grade (or none) in a
   menu, and reading.css shows readings only above it, on the whole page.
   The choice is kept in localStorage, so it holds on every page. Until a
   reader chooses (and without JavaScript) the running text has no readings
   and each kids' block shows those above its own grade. */
(function () {
  "use strict";
  var KEY = "furigana";
  var CHOICE = /^(off|[0-7])$/;  // an older "on" means: no choice yet
  var root = document.documentElement;
  function stored() {
    try {
      var value = localStorage.getItem(KEY);
      return value && CHOICE.test(value) ? value : null;
    } catch (e) { return null; }
  }
  function apply(choice) {
    if (choice) root.setAttribute("data-furigana", choice); else root.removeAttribute("data-furigana");
    document.querySelectorAll(".furigana-grade").forEach(function (select) {
      select.value = choice || select.getAttribute("data-default");
      select.parentElement.hidden = false;
    });
  }
  apply(stored());
  document.addEventListener("change", function (event) {
    var select = event.target.closest && event.target.closest(".furigana-grade");
    if (!select || !CHOICE.test(select.value)) return;
    try { localStorage.setItem(KEY, select.value); } catch (e) { /* private mode: this page only */ }
    apply(select.value);
  });
  // Another tab changed it.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) apply(stored());
  });
})();
