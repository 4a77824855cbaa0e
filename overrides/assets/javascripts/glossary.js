/* Glossary tooltips: CSS shows a definition on hover and focus; this adds
   what CSS cannot: Escape hides it (WCAG 1.4.13), and a tap toggles it. */
(function () {
  "use strict";
  function close(term) { term.classList.add("term--closed"); }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".term:hover, .term:focus-within").forEach(close);
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".term__word");
    if (!button) return;
    button.parentElement.classList.toggle("term--closed");
  });
  document.addEventListener("focusout", function (event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term) term.classList.remove("term--closed");
  });
  document.addEventListener("mouseout", function (event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term && !term.contains(event.relatedTarget)) term.classList.remove("term--closed");
  });
})();
