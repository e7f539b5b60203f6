/* Learning Lessons: the published site's search worker. Plain script, no dependencies.
 *
 * Material's search box talks to a worker with four messages (0 set up, 1 ready, 2 query,
 * 3 result); this worker answers them from Pagefind's split index (pagefind/ at the site's
 * root), which fetches only the parts of the index a query needs. Each result is a page with
 * its matching sections (learning points, case summaries, recommendations), in Material's
 * result format, so Material shows them as it shows its own. The search filters, chosen in the
 * search dialog (search-split.js), arrive on a BroadcastChannel named in this worker's address. */
"use strict";

var root = new URL("../../", self.location.href);
var channel = new BroadcastChannel(new URL(self.location.href).searchParams.get("channel") || "ll-search");
var loading = null;
var filters = {};
var current = "";
var generation = 0;
var RESULTS = 20; /* records whose text is fetched for a query: Material shows 10 pages at first */

/* Pagefind, with every part of the index (a large collection is indexed in parts, listed in
 * pagefind/parts.json; the first part is pagefind/ itself). */
function engine() {
  if (!loading) {
    var index = new URL("pagefind/", root);
    loading = Promise.all([
      import(new URL("pagefind.js", index).href),
      fetch(new URL("parts.json", index)).then(function (response) {
        return response.json();
      })
    ]).then(function (loaded) {
      var pagefind = loaded[0];
      return pagefind.options({ excerptLength: 24 }).then(function () {
        return pagefind.init();
      }).then(function () {
        return Promise.all(loaded[1].parts.map(function (part) {
          return pagefind.mergeIndex(new URL(part, index).pathname);
        }));
      }).then(function () {
        return pagefind;
      });
    });
  }
  return loading;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, function (character) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[character];
  });
}

function hasFilters() {
  return Object.keys(filters).some(function (name) {
    return filters[name].length > 0;
  });
}

/* The records matching `words`, best first: those holding every word first (so a learning
 * point with every word ranks above a briefing with them scattered), then those holding most
 * of them, so a search never comes back empty while some of its words are found. Each word is
 * searched on its own: Pagefind leaves out of a query the words an index (or a part of it)
 * lacks, so its answer to the whole query cannot tell which words a record holds. */
function matches(pagefind, words) {
  var options = hasFilters() ? { filters: filters } : {};
  return Promise.all(words.map(function (word) {
    return pagefind.search(word, options);
  })).then(function (each) {
    var byRecord = new Map();
    each.forEach(function (found, index) {
      found.results.forEach(function (result) {
        var hit = byRecord.get(result.id) || { result: result, score: 0, matched: [] };
        hit.score += result.score;
        if (hit.matched.indexOf(words[index]) === -1) hit.matched.push(words[index]);
        byRecord.set(result.id, hit);
      });
    });
    return Array.from(byRecord.values()).sort(function (a, b) {
      return b.matched.length - a.matched.length || b.score - a.score;
    });
  });
}

/* The result for `value` in Material's format, or null when a later query or filter has
 * replaced it. */
function search(value) {
  var mine = ++generation;
  current = value;
  var words = value.toLowerCase().split(/\s+/).filter(function (word, index, all) {
    return word && all.indexOf(word) === index;
  });
  if (!words.length) return Promise.resolve({ items: [] });
  return engine().then(function (pagefind) {
    return matches(pagefind, words);
  }).then(function (found) {
    if (mine !== generation) return null;
    return Promise.all(found.slice(0, RESULTS).map(function (hit) {
      return hit.result.data().then(function (data) {
        hit.data = data;
        return hit;
      });
    }));
  }).then(function (hits) {
    if (hits === null || mine !== generation) return null;
    var groups = new Map();
    hits.forEach(function (hit, rank) {
      var meta = hit.data.meta;
      var link = meta.link || "";
      var page = meta.page || "";
      var terms = {};
      words.forEach(function (word) {
        terms[word] = hit.matched.indexOf(word) !== -1;
      });
      var score = hits.length - rank;
      var item = { location: link, title: escapeHtml(meta.title), text: hit.data.excerpt, score: score, terms: terms };
      if (!groups.has(page)) {
        groups.set(page, {
          article: { location: page, title: escapeHtml(meta.page_title || ""), text: "", score: score, terms: terms },
          sections: []
        });
      }
      var group = groups.get(page);
      if (link === page) {
        item.score = group.article.score;
        group.article = item;
      } else {
        group.sections.push(item);
      }
    });
    var items = [];
    groups.forEach(function (group) {
      items.push([group.article].concat(group.sections));
    });
    return { items: items };
  });
}

function answer(value) {
  return search(value).then(function (result) {
    if (result !== null) postMessage({ type: 3, data: result });
  }, function (error) {
    console.warn("Search failed", error);
    postMessage({ type: 3, data: { items: [] } });
  });
}

addEventListener("message", function (event) {
  var message = event.data;
  if (message.type === 0) {
    engine();
    postMessage({ type: 1 });
  } else if (message.type === 2) {
    answer(message.data);
  }
});

channel.onmessage = function (event) {
  var message = event.data;
  if (message.type === "filters") {
    filters = message.data;
    answer(current);
  } else if (message.type === "options") {
    engine().then(function (pagefind) {
      return pagefind.filters();
    }).then(function (options) {
      channel.postMessage({ type: "options", data: options });
    });
  }
};
