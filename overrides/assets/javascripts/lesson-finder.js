/* Lesson finder (teachers' page). Every lesson is already in the HTML list, so
   the page works without JavaScript; this shows the filters, hides lessons
   that do not match, announces the count (role=status), and keeps the choice
   in the address (?grade=小4&subject=science) so a filtered list can be shared. */
(function () {
  "use strict";
  var FILTERS = ["grade", "subject", "periods"];

  function setup(root) {
    var form = root.querySelector(".lesson-finder__form");
    var status = root.querySelector(".lesson-finder__status");
    var empty = root.querySelector(".lesson-finder__empty");
    var items = Array.prototype.slice.call(root.querySelectorAll(".lesson-card"));
    if (!form || !items.length) return;

    function select(name) { return form.querySelector('[data-filter="' + name + '"]'); }

    function matches(item, name, value) {
      if (!value) return true;
      var own = (item.getAttribute("data-" + name) || "").split(" ");
      return own.indexOf(value) !== -1;
    }

    function update(announce) {
      var shown = 0;
      items.forEach(function (item) {
        var ok = FILTERS.every(function (name) { return matches(item, name, select(name).value); });
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      empty.hidden = shown > 0;
      if (announce) {
        status.textContent = shown === 1 ? root.getAttribute("data-count-one")
          : root.getAttribute("data-count-other").replace("%(count)s", String(shown));
      }
      var params = new URLSearchParams(window.location.search);
      FILTERS.forEach(function (name) {
        if (select(name).value) params.set(name, select(name).value); else params.delete(name);
      });
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    // Start from the address, ignoring values that are not offered.
    var start = new URLSearchParams(window.location.search);
    FILTERS.forEach(function (name) {
      var wanted = start.get(name), control = select(name);
      if (wanted && Array.prototype.some.call(control.options, function (o) { return o.value === wanted; })) {
        control.value = wanted;
      }
    });
    form.hidden = false;
    form.addEventListener("change", function () { update(true); });
    form.addEventListener("reset", function () { window.setTimeout(function () { update(true); }, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    update(false);
  }

  document.querySelectorAll("[data-lesson-finder]").forEach(setup);
})();
