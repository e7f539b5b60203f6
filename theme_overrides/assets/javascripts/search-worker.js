/* Learning Lessons: the published site's search worker. Plain script, no dependencies.
 *
 * Material's search box talks to a worker with four messages (0 set up, 1 ready, 2 query,
 * 3 result); this worker answers them from the site's split index (search-index/ at the site's
 * root, written by generator/pipeline/search_index.py, whose note describes its files). A query
 * fetches the files of its words, then only the results it shows, so what it fetches does not
 * grow with the collection. Each result is a page with its matching sections (learning points,
 * case summaries, recommendations), in Material's result format, so Material shows them as it
 * shows its own. The search filters, chosen in the search dialog (search-split.js), arrive on a
 * BroadcastChannel named in this worker's address. */
"use strict";

importScripts("search-words.js");

var folder = new URL("../../search-index/", self.location.href);
var channel = new BroadcastChannel(new URL(self.location.href).searchParams.get("channel") || "ll-search");
var files = new Map();
var settings = null;
var filters = {};
var current = "";
var generation = 0;
var RESULTS = 20; /* records shown for a query: Material shows the first 10 pages at once */
var CLOSE = 8; /* words found by the beginning typed, at most (the most widely held) */
var ROUNDS = 2; /* further files of records fetched per word, at most, to find records holding every word */
var FILTERED_ROUNDS = 12; /* the same when filters are chosen, to find records that match them */
var EXCERPT = 24; /* words of a record's text shown */

/* One of the index's files, as JSON (each is fetched once). The files are gzip-compressed; a
 * host that serves them with Content-Encoding has had the browser undo it already. A file that
 * is not there (no word begins so) is empty. */
function load(path) {
  if (!files.has(path)) {
    files.set(path, fetch(new URL(path, folder)).then(function (response) {
      if (response.status === 404) return null;
      if (!response.ok) throw new Error("search index: " + response.status + " for " + path);
      return response.arrayBuffer().then(function (buffer) {
        var bytes = new Uint8Array(buffer);
        if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
        var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).json();
      });
    }));
  }
  return files.get(path);
}

function engine() {
  if (!settings) {
    settings = load("index.json").then(function (found) {
      found.split = new Set(found.split);
      return found;
    });
  }
  return settings;
}

function hex(text) {
  return Array.from(new TextEncoder().encode(text), function (byte) {
    return byte.toString(16).padStart(2, "0");
  }).join("");
}

/* The prefix of the file holding `word`: lengthened while the index says the prefix is split. */
function shardOf(index, word) {
  var length = index.shortest;
  while (word.length > length && index.split.has(word.slice(0, length))) length++;
  return word.slice(0, length);
}

function shard(index, prefix) {
  return load("words/" + hex(prefix) + ".gz").then(function (found) {
    return found || {};
  });
}

/* The query's words: each as the index holds it, and (the last, as it is typed) by its
 * beginning too. */
function queryWords(value, language) {
  var typed = LLWords.typed(value);
  var open = !/\s$/.test(value);
  var seen = new Set();
  var found = [];
  typed.forEach(function (word, place) {
    var exact = language === "en" ? LLWords.singular(word) : word;
    if (seen.has(exact)) return;
    seen.add(exact);
    found.push({ typed: word, exact: exact, begins: open && place === typed.length - 1 && word.length >= 3 });
  });
  return found;
}

/* The index's words matching `word`: the word itself and, if it is being typed, the most
 * widely held words beginning with it. Each has its records so far and what is left to fetch. */
function terms(index, word) {
  var wanted = [shard(index, shardOf(index, word.exact))];
  var prefix = shardOf(index, word.typed);
  var spread = prefix.length === word.typed.length && index.split.has(prefix);
  if (word.begins && !spread) wanted.push(shard(index, prefix));
  return Promise.all(wanted).then(function (shards) {
    var found = [];
    if (shards[0][word.exact]) found.push(term(index, word.exact, shards[0][word.exact], true));
    if (shards[1]) {
      var close = Object.keys(shards[1]).filter(function (other) {
        return other !== word.exact && other.indexOf(word.typed) === 0;
      }).sort(function (a, b) {
        return shards[1][b][0] - shards[1][a][0] || (a < b ? -1 : 1);
      }).slice(0, CLOSE);
      close.forEach(function (other) {
        found.push(term(index, other, shards[1][other], false));
      });
    }
    return found;
  });
}

/* A word as a query uses it. Each of its records is a number: how far the word's weight in it
 * is from the heaviest, times the span of ids, plus its id. Its rarity is BM25's idf. */
function term(index, word, entry, exact) {
  var held = entry[0];
  var rarity = Math.log(1 + (index.records - held + 0.5) / (held + 0.5));
  return { word: word, exact: exact, held: held, further: entry[1], fetched: 0, postings: summed(entry[2]), rarity: rarity };
}

/* A list of records as held (the first number, then differences) as the numbers. */
function summed(steps) {
  var numbers = steps.slice();
  for (var i = 1; i < numbers.length; i++) numbers[i] += numbers[i - 1];
  return numbers;
}

/* The next file of `found`'s records, added to those it has. */
function more(found) {
  var block = found.fetched++;
  return load("more/" + hex(found.word) + "-" + block + ".gz").then(function (records) {
    if (records) found.postings = found.postings.concat(summed(records));
  });
}

/* The pages the chosen filters allow (all, when none is chosen): within a filter any chosen
 * value, across filters every one. */
function allowedPages() {
  var chosen = Object.keys(filters).filter(function (name) {
    return filters[name].length > 0;
  });
  if (!chosen.length) return Promise.resolve(null);
  return Promise.all(chosen.map(function (name) {
    return load("filters/" + hex(name) + ".gz");
  })).then(function (tables) {
    var allowed = null;
    chosen.forEach(function (name, place) {
      var here = new Set();
      filters[name].forEach(function (value) {
        ((tables[place] || {})[value] || []).forEach(function (page) {
          here.add(page);
        });
      });
      allowed = allowed === null ? here : new Set(Array.from(allowed).filter(function (page) {
        return here.has(page);
      }));
    });
    return allowed;
  });
}

/* The records found so far, best first: those holding every word first (so a learning point
 * with every word ranks above a briefing with them scattered), then those holding most of them,
 * so a search never comes back empty while some of its words are found. A record's score is
 * BM25's: each word's weight in it times the word's rarity; a word found only by its beginning
 * counts half. */
function rank(words, found, index, allowed) {
  var byRecord = new Map();
  words.forEach(function (word, place) {
    found[place].forEach(function (match) {
      var rarity = match.exact ? match.rarity : match.rarity / 2;
      match.postings.forEach(function (posting) {
        var id = posting % index.span;
        if (allowed && !allowed.has(Math.floor(id / index.slots))) return;
        var hit = byRecord.get(id);
        if (!hit) byRecord.set(id, hit = { id: id, best: {}, score: 0, matched: 0 });
        var weight = (index.heaviest - Math.floor(posting / index.span)) * rarity;
        if (!(place in hit.best)) hit.matched++;
        hit.best[place] = Math.max(hit.best[place] || 0, weight);
      });
    });
  });
  var hits = Array.from(byRecord.values());
  hits.forEach(function (hit) {
    hit.score = Object.keys(hit.best).reduce(function (sum, place) {
      return sum + hit.best[place];
    }, 0);
  });
  return hits.sort(function (a, b) {
    return b.matched - a.matched || b.score - a.score || a.id - b.id;
  });
}

/* Fetch further records, a round at a time, while too few records hold every word (or match the
 * filters) and some word has more. */
function gather(words, found, index, allowed, mine, round) {
  var hits = rank(words, found, index, allowed);
  var complete = hits.filter(function (hit) {
    return hit.matched === words.length;
  }).length;
  var left = [];
  found.forEach(function (matches) {
    matches.forEach(function (match) {
      if (match.exact && match.fetched < match.further) left.push(match);
    });
  });
  var rounds = allowed ? FILTERED_ROUNDS : ROUNDS;
  if (complete >= RESULTS || !left.length || round >= rounds || mine !== generation) return Promise.resolve(hits);
  return Promise.all(left.map(more)).then(function () {
    return gather(words, found, index, allowed, mine, round + 1);
  });
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, function (character) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[character];
  });
}

/* Does the word of a text, `word`, match a query word? */
function matchesWord(word, words, language) {
  var held = LLWords.words(word, language)[0];
  var typed = LLWords.plain(word);
  return held !== undefined && words.some(function (query) {
    return held === query.exact || (query.begins && typed.indexOf(query.typed) === 0);
  });
}

/* Some words of `text` around the first that matches, those that match marked (as Material
 * marks its own results). */
function excerpt(text, words, language) {
  var pattern = /[\p{L}\p{N}]+/gu;
  var tokens = [];
  var match;
  while ((match = pattern.exec(text)) !== null) {
    tokens.push({ start: match.index, end: match.index + match[0].length, hit: matchesWord(match[0], words, language) });
  }
  if (!tokens.length) return escapeHtml(text);
  var first = Math.max(0, tokens.findIndex(function (token) { return token.hit; }));
  var from = Math.max(0, Math.min(first - 4, tokens.length - EXCERPT));
  var to = Math.min(tokens.length, from + EXCERPT);
  var html = from > 0 ? "… " : "";
  var at = tokens[from].start;
  for (var i = from; i < to; i++) {
    html += escapeHtml(text.slice(at, tokens[i].start));
    var word = escapeHtml(text.slice(tokens[i].start, tokens[i].end));
    html += tokens[i].hit ? "<mark>" + word + "</mark>" : word;
    at = tokens[i].end;
  }
  return html + (to < tokens.length ? " …" : escapeHtml(text.slice(at)));
}

/* The result for `value` in Material's format, or null when a later query or filter has
 * replaced it. */
function search(value) {
  var mine = ++generation;
  current = value;
  var index, words, allowed;
  return engine().then(function (found) {
    index = found;
    words = queryWords(value, index.language);
    if (!words.length) return null;
    return Promise.all([allowedPages(), Promise.all(words.map(function (word) {
      return terms(index, word);
    }))]);
  }).then(function (loaded) {
    if (loaded === null) return [];
    allowed = loaded[0];
    return gather(words, loaded[1], index, allowed, mine, 0);
  }).then(function (hits) {
    if (mine !== generation) return null;
    return Promise.all(hits.slice(0, RESULTS).map(function (hit) {
      return load("records/" + hit.id + ".gz").then(function (record) {
        hit.record = record;
        return hit;
      });
    }));
  }).then(function (hits) {
    if (hits === null || mine !== generation) return null;
    var groups = new Map();
    hits.forEach(function (hit, rank) {
      var record = hit.record;
      var terms = {};
      words.forEach(function (word, place) {
        terms[word.typed] = place in hit.best;
      });
      var score = hits.length - rank;
      var item = {
        location: record.location,
        title: escapeHtml(record.title),
        text: excerpt(record.text, words, index.language),
        score: score,
        terms: terms
      };
      if (!groups.has(record.page)) {
        groups.set(record.page, {
          article: { location: record.page, title: escapeHtml(record.page_title), text: "", score: score, terms: terms },
          sections: []
        });
      }
      var group = groups.get(record.page);
      if (record.location === record.page) {
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
    load("filters.gz").then(function (table) {
      channel.postMessage({ type: "options", data: table || {} });
    });
  }
};
