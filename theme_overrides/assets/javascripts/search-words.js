/* Learning Lessons: the words search matches, cut from a query exactly as the site's build cuts
 * the pages' text (generator/pipeline/search_words.py; a test compares the two). A word is a run
 * of letters and digits, lower-cased, its accents dropped, two to forty characters long; in
 * English a plural is reduced to its singular the simple way (fathers -> father). */
"use strict";

var LLWords = (function () {
  var WORD = /[\p{L}\p{N}]+/gu;

  function plain(text) {
    return String(text).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function singular(word) {
    if (word.length > 4 && /ies$/.test(word)) return word.slice(0, -3) + "y";
    if (word.length > 3 && /s$/.test(word) && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
    return word;
  }

  /* The words of `text` as typed (not yet reduced), in order. */
  function typed(text) {
    return (plain(text).match(WORD) || []).filter(function (word) {
      return word.length >= 2 && word.length <= 40;
    });
  }

  /* The words of `text` as the index holds them. */
  function words(text, language) {
    return typed(text).map(function (word) {
      return language === "en" ? singular(word) : word;
    });
  }

  return { plain: plain, typed: typed, words: words, singular: singular };
})();
