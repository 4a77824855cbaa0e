/* Lesson finder (teachers' page). Every lesson is already in the HTML list, so
   the page works without JavaScript; this shows the filters (groups of radio
   buttons: one click per choice), hides lessons that do not match, announces
   the count (role=status), and keeps the choice in the address
   (?grade=小5&subject=social-studies&topic=disaster-resilience) so a filtered
   list can be shared or bookmarked. A lesson lists every (grade, subject) pair
   it suits in data-uses ("小4|social-studies 小5|social-studies"), so grade and
   subject are matched together: 小5 + 社会 finds a lesson written for 小4 社会
   that also suits 小5 社会, but not one for 小5 総合. */
(function () {
  "use strict";
  var FILTERS = ["grade", "subject", "topic", "periods"];

  function setup(root) {
    var form = root.querySelector(".lesson-finder__form");
    var status = root.querySelector(".lesson-finder__status");
    var empty = root.querySelector(".lesson-finder__empty");
    var items = Array.prototype.slice.call(root.querySelectorAll(".lesson-card"));
    if (!form || !items.length) return;

    function choices(name) {
      return Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]'));
    }
    function value(name) {
      var checked = form.querySelector('input[name="' + name + '"]:checked');
      return checked ? checked.value : "";
    }

    function matches(item, want) {
      var uses = (item.getAttribute("data-uses") || "").split(" ").some(function (pair) {
        var parts = pair.split("|");
        return (!want.grade || parts[0] === want.grade) && (!want.subject || parts[1] === want.subject);
      });
      return uses && (!want.topic || item.getAttribute("data-topic") === want.topic) &&
        (!want.periods || item.getAttribute("data-periods") === want.periods);
    }

    function update(announce) {
      var want = {}, shown = 0;
      FILTERS.forEach(function (name) { want[name] = value(name); });
      items.forEach(function (item) {
        var ok = matches(item, want);
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
        if (want[name]) params.set(name, want[name]); else params.delete(name);
      });
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    // Start from the address, ignoring values that are not offered.
    var start = new URLSearchParams(window.location.search);
    FILTERS.forEach(function (name) {
      var wanted = start.get(name);
      choices(name).forEach(function (input) { if (wanted && input.value === wanted) input.checked = true; });
    });
    form.hidden = false;
    form.addEventListener("change", function () { update(true); });
    form.addEventListener("reset", function () { window.setTimeout(function () { update(true); }, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    update(false);
  }

  document.querySelectorAll("[data-lesson-finder]").forEach(setup);
})();
