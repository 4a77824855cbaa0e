/* Furigana on/off (scripts/furigana.py). The reader's choice is kept in
   localStorage, so it holds on every page. Without JavaScript the buttons stay
   hidden and readings show. */
(function () {
  "use strict";
  var KEY = "furigana";
  var root = document.documentElement;
  function stored() {
    try { return localStorage.getItem(KEY) !== "off"; } catch (e) { return true; }
  }
  function apply(on) {
    root.classList.toggle("furigana-off", !on);
    document.querySelectorAll(".furigana-toggle").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.hidden = false;
    });
  }
  apply(stored());
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".furigana-toggle");
    if (!button) return;
    var on = button.getAttribute("aria-pressed") !== "true";
    try { localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode: this page only */ }
    apply(on);
  });
  // Another tab changed it.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) apply(stored());
  });
})();
