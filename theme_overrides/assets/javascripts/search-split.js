/* Learning Lessons: the published site's search. Plain script, no dependencies; it runs
 * before Material's own script.
 *
 * It points Material's search box at search-worker.js, which answers from the site's split
 * index instead of Material's whole-site index, so a query fetches only what it needs. The
 * box, the results as you type, the keyboard keys and the "no results" message stay Material's.
 * It also adds the search filters (theme, type of review, board, year) to the search dialog:
 * their choices are loaded from the index when the filters are first opened. */
(function () {
  "use strict";

  var settings = JSON.parse(document.getElementById("ll-split-search").textContent);
  var configuration = document.getElementById("__config");
  var result = document.querySelector(".md-search-result");
  if (!configuration || !result || typeof BroadcastChannel === "undefined") return;

  var name = "ll-search-" + Math.random().toString(36).slice(2);
  var app = JSON.parse(configuration.textContent);
  app.search = new URL("search-worker.js?channel=" + name, document.currentScript.src).href;
  configuration.textContent = JSON.stringify(app);
  var channel = new BroadcastChannel(name);

  /* The filters: a disclosure between the result count and the list (Material finds those two
   * as the first and last child of the result, so they stay so). */
  var details = document.createElement("details");
  details.className = "ll-search-filters";
  var summary = document.createElement("summary");
  summary.textContent = settings.heading;
  details.appendChild(summary);
  var selects = {};
  settings.filters.forEach(function (filter) {
    var key = filter[0];
    var label = document.createElement("label");
    var select = document.createElement("select");
    select.name = key;
    select.setAttribute("data-ll-filter", key);
    var any = document.createElement("option");
    any.value = "";
    any.textContent = settings.any;
    select.appendChild(any);
    label.appendChild(document.createTextNode(filter[1] + " "));
    label.appendChild(select);
    details.appendChild(label);
    selects[key] = select;
    select.addEventListener("change", send);
  });
  result.firstElementChild.after(details);

  function send() {
    var chosen = {};
    Object.keys(selects).forEach(function (key) {
      if (selects[key].value) chosen[key] = [selects[key].value];
    });
    channel.postMessage({ type: "filters", data: chosen });
  }

  details.addEventListener("toggle", function () {
    if (details.open && !details.hasAttribute("data-loaded")) channel.postMessage({ type: "options" });
  });

  channel.onmessage = function (event) {
    if (event.data.type !== "options") return;
    details.setAttribute("data-loaded", "");
    Object.keys(selects).forEach(function (key) {
      var values = Object.keys(event.data.data[key] || {});
      values.sort(key === "year" ? function (a, b) { return b.localeCompare(a); } : function (a, b) {
        return a.localeCompare(b);
      });
      values.forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        selects[key].appendChild(option);
      });
    });
  };

  /* Material's search keys (Tab closes the dialog, any other key goes to the search box) are
   * for the box and the results: inside the filters, keys do what they do in any form. The
   * arrow keys on the summary still move between the box and the results. */
  details.addEventListener("keydown", function (event) {
    if (event.key === "Escape") return;
    if (event.target === summary && (event.key === "ArrowUp" || event.key === "ArrowDown")) return;
    event.stopPropagation();
  });
})();
