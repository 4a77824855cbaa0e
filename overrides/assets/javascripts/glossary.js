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
  // An open tip stays inside the viewport (no sideways scrolling on a phone, WCAG 1.4.10).
  function fit(event) {
    var term = event.target.closest && event.target.closest(".term");
    var tip = term && term.querySelector(".term__tip");
    if (!tip) return;
    tip.style.left = "";
    var overflow = tip.getBoundingClientRect().right - document.documentElement.clientWidth + 8;
    if (overflow > 0) tip.style.left = -overflow + "px";
  }
  document.addEventListener("focusin", fit);
  document.addEventListener("mouseover", fit);
  document.addEventListener("focusout", function (event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term) term.classList.remove("term--closed");
  });
  document.addEventListener("mouseout", function (event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term && !term.contains(event.relatedTarget)) term.classList.remove("term--closed");
  });
})();
