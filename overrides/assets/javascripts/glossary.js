/* Glossary tooltips: CSS shows a definition on hover and focus; this adds
   what CSS cannot: a tap or click opens it (the first tap: a tap also focuses
   the term, so toggling a class on focus hid it; ux review M2), a second tap,
   a tap elsewhere or Escape closes it (WCAG 1.4.13). */
(function () {
  "use strict";
  // A <button> is laid out as an inline block: a multi-word term ("Ministry of
  // Land, Infrastructure, …") wrapped as a centred block mid-sentence. An
  // inline span with role="button" wraps with the words around it. Without
  // JavaScript the buttons stay (and show their definition on focus).
  document.querySelectorAll("button.term__word").forEach(function (button) {
    var word = document.createElement("span");
    Array.prototype.forEach.call(button.attributes, function (a) {
      if (a.name !== "type") word.setAttribute(a.name, a.value);
    });
    word.setAttribute("role", "button");
    word.setAttribute("tabindex", "0");
    while (button.firstChild) word.appendChild(button.firstChild);
    button.parentNode.replaceChild(word, button);
  });
  function open(term) { term.classList.add("term--open"); term.classList.remove("term--closed"); }
  function close(term) { term.classList.remove("term--open"); term.classList.add("term--closed"); }
  function toggle(term) {
    if (term.classList.contains("term--open")) close(term); else open(term);
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll(".term:hover, .term:focus-within, .term--open").forEach(close);
      return;
    }
    var word = event.target.closest && event.target.closest(".term__word[role='button']");
    if (word && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();  // Space would scroll the page
      toggle(word.parentElement);
    }
  });
  document.addEventListener("click", function (event) {
    var word = event.target.closest && event.target.closest(".term__word");
    var term = word && word.parentElement;
    document.querySelectorAll(".term--open").forEach(function (t) { if (t !== term) close(t); });
    if (term) toggle(term);
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
  document.addEventListener("click", fit);
  document.addEventListener("focusout", function (event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term && !term.contains(event.relatedTarget)) term.classList.remove("term--closed", "term--open");
  });
  document.addEventListener("mouseout", function (event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term && !term.contains(event.relatedTarget)) term.classList.remove("term--closed");
  });
})();
