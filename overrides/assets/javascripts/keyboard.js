/* Header controls. Keyboard access to Material's two header toggles on narrow screens.
   Material opens the navigation drawer and the search overlay with <label>s,
   which a keyboard cannot reach (WCAG 2.1.1). Each label is swapped for a
   real <button> that looks the same: Tab reaches it, Enter or Space opens
   it, focus moves into what opened, and Escape closes the drawer and returns
   focus. The closed drawer and search stay out of the Tab order (site.css).
   Without JavaScript the labels stay as they are. */
(function () {
  "use strict";
  var toggles = [
    {id: "__drawer", name: ".md-nav--primary",
     first: ".md-sidebar--primary a[href], .md-sidebar--primary label[tabindex='0']"},
    {id: "__search", name: ".md-search__input", first: ".md-search__input"}
  ];
  var buttons = {};
  toggles.forEach(function (t) {
    var box = document.getElementById(t.id);
    var label = document.querySelector(".md-header label.md-header__button[for='" + t.id + "']");
    var named = document.querySelector(t.name);
    if (!box || !label) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className;
    button.setAttribute("data-toggle-for", t.id);  // site.css hides it where Material hides the label
    button.setAttribute("aria-label", named ? named.getAttribute("aria-label") || "" : "");
    button.innerHTML = label.innerHTML;
    var sync = function () { button.setAttribute("aria-expanded", String(box.checked)); };
    sync();
    box.addEventListener("change", sync);
    button.addEventListener("click", function (event) {
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change", {bubbles: true}));
      sync();
      if (box.checked && t.id === "__search") {
        // Search takes input on the first tap: focus the box now, inside the tap,
        // so a phone opens its keyboard (a later focus() does not; ux review m7).
        var field = document.querySelector(t.first);
        if (field) field.focus();
      } else if (box.checked && event.detail === 0) {  // opened from the keyboard
        var first = document.querySelector(t.first);
        // After the drawer's slide-in starts, so the browser can scroll it into view.
        if (first) setTimeout(function () { first.focus(); }, 50);
      }
    });
    label.parentNode.insertBefore(button, label);
    label.hidden = true;
    buttons[t.id] = button;
  });
  // The search overlay is a dialog: give it the search box's name.
  var search = document.querySelector(".md-search[role='dialog']");
  var input = document.querySelector(".md-search__input");
  if (search && input && !search.hasAttribute("aria-label")) {
    search.setAttribute("aria-label", input.getAttribute("aria-label") || "");
  }
  // Material searches on key events; text that arrives without one (an IME's
  // commit, paste from a menu, dictation) searches too: each input event is
  // passed on as a keyup (ux review m7).
  if (input) {
    input.addEventListener("input", function (event) {
      if (event.isComposing) return;  // the IME's commit sends a last input event
      input.dispatchEvent(new KeyboardEvent("keyup", {key: "Unidentified", bubbles: true}));
    });
    input.addEventListener("compositionend", function () {
      input.dispatchEvent(new KeyboardEvent("keyup", {key: "Unidentified", bubbles: true}));
    });
  }
  // The language switch keeps the address's query and fragment (the lesson
  // finder's ?grade=…&subject=…), added when a link is about to be followed.
  function carry(event) {
    var link = event.target.closest && event.target.closest(".md-select__link[hreflang]");
    if (!link) return;
    var url = new URL(link.getAttribute("href"), location.href);
    if (!url.search && location.search) url.search = location.search;
    if (!url.hash && location.hash) url.hash = location.hash;
    link.href = url.href;
  }
  ["click", "focusin", "pointerdown", "mouseover"].forEach(function (type) {
    document.addEventListener(type, carry, true);
  });
  // A wide table that scrolls sideways on a phone can be scrolled with the keyboard
  // too (WCAG 2.1.1): its scroll box takes focus, named after the heading above it.
  function scrollable() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        var heading = null;
        for (var n = wrap.previousElementSibling; n && !heading; n = n.previousElementSibling) {
          if (/^H[1-6]$/.test(n.tagName)) heading = n;
        }
        if (heading) wrap.setAttribute("aria-label", heading.textContent.replace("\u00b6", "").trim());
      } else if (!scrolls && wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  scrollable();
  window.addEventListener("load", scrollable);  // after Material has wrapped the tables
  window.addEventListener("resize", scrollable);
  document.addEventListener("keydown", function (event) {
    var drawer = document.getElementById("__drawer");
    if (event.key !== "Escape" || !drawer || !drawer.checked) return;
    drawer.checked = false;
    drawer.dispatchEvent(new Event("change", {bubbles: true}));
    if (buttons.__drawer) { buttons.__drawer.setAttribute("aria-expanded", "false"); buttons.__drawer.focus(); }
  });
})();
