/* Learning Lessons: filters on the browse page. Plain script, no dependencies.
 *
 * Every briefing is in the page's list, so the page works without JavaScript. This script
 * shows the filter form, narrows the list (options within a group widen it, groups narrow it),
 * keeps the counts beside each option up to date, announces the number shown, and keeps the
 * choices in the address so a filtered list can be shared and restored. */
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("ll-browse");
    var list = document.getElementById("ll-browse-list");
    if (!form || !list) return;
    var status = document.getElementById("ll-browse-status");
    var items = Array.prototype.slice.call(list.children);
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
    var counts = Array.prototype.slice.call(form.querySelectorAll("[data-count-for]"));
    var facets = Array.prototype.map.call(form.querySelectorAll("fieldset[data-facet]"), function (fieldset) {
      return fieldset.getAttribute("data-facet");
    });
    var values = items.map(function (item) {
      var found = {};
      facets.forEach(function (facet) {
        var text = item.getAttribute("data-" + facet) || "";
        found[facet] = text ? text.split(" ") : [];
      });
      return found;
    });

    function selection() {
      var chosen = {};
      facets.forEach(function (facet) { chosen[facet] = []; });
      boxes.forEach(function (box) { if (box.checked) chosen[box.name].push(box.value); });
      return chosen;
    }

    function matches(index, chosen, ignoring) {
      return facets.every(function (facet) {
        if (facet === ignoring || chosen[facet].length === 0) return true;
        return chosen[facet].some(function (value) { return values[index][facet].indexOf(value) !== -1; });
      });
    }

    function apply(remember) {
      var chosen = selection();
      var shown = 0;
      items.forEach(function (item, index) {
        var visible = matches(index, chosen, null);
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      counts.forEach(function (span) {
        var parts = span.getAttribute("data-count-for").split("=");
        var total = 0;
        items.forEach(function (item, index) {
          if (values[index][parts[0]].indexOf(parts[1]) !== -1 && matches(index, chosen, parts[0])) total += 1;
        });
        span.textContent = "(" + total + ")";
      });
      status.textContent = status.getAttribute("data-template")
        .replace("{shown}", String(shown)).replace("{total}", String(items.length));
      if (remember) {
        var params = new URLSearchParams();
        facets.forEach(function (facet) {
          chosen[facet].forEach(function (value) { params.append(facet, value); });
        });
        var query = params.toString();
        history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    var params = new URLSearchParams(location.search);
    boxes.forEach(function (box) { box.checked = params.getAll(box.name).indexOf(box.value) !== -1; });
    form.hidden = false;
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply(false);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
