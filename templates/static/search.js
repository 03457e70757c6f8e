// tolk's site search. It reads the index `tolk build` wrote for this page's locale
// (search/<locale>/, see src/site/search/bundle.rs) and lists the pages that have every word
// of the query. Plain JavaScript with no dependencies; nothing to build.
//
// Words of the query are cut up and folded exactly as the index's were (lowercase, no accents,
// no elided articles). The index holds Snowball stems, and every stem is the start of the words
// it stands for, so a query word matches the terms it starts with when the rest is an ending
// the index has seen ("desactivation" finds "desactiv", the stem of "désactivé", as "ation"
// ended "organisation") and, once it is 3 characters long, the terms that start with it (what
// the reader is still typing).
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || !window.fetch || !window.URL) return;

  var FORMAT = 1;
  var SHOWN = 10;
  var DEBOUNCE_MS = 150;
  var WORD = /[\p{Alphabetic}\p{N}\p{M}]+/gu;
  var IS_WORD_CHAR = /^[\p{Alphabetic}\p{N}\p{M}]$/u;
  var APOSTROPHES = "'\u2019\u02bc\u2018";
  var SPELLED_OUT = { "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ı": "i" };

  var folder = new URL(box.getAttribute("data-index"), location.href);
  var root = new URL(box.getAttribute("data-root") || "/", location.href);
  var label = box.getAttribute("aria-label") || "";

  // The manifest and the term and page files, each fetched once.
  var loaded = {};
  function load(name) {
    if (!loaded[name]) {
      loaded[name] = fetch(new URL(name, folder)).then(function (response) {
        if (!response.ok) throw new Error(name + ": " + response.status);
        return response.json();
      });
    }
    return loaded[name];
  }

  function fold(word) {
    return word.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")
      .replace(/[œæßøłđı]/g, function (c) { return SPELLED_OUT[c]; });
  }

  function length(s) { return Array.from(s).length; }

  // The query's words, folded, as the index's words were (src/site/search/text.rs).
  function queryWords(query, manifest) {
    var words = [];
    var text = query.replace(/\u02bc/g, "'");
    var match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      var word = fold(match[0]);
      var next = text.charAt(match.index + match[0].length);
      var after = text.charAt(match.index + match[0].length + 1);
      var elided = APOSTROPHES.indexOf(next) !== -1 && next !== "" && IS_WORD_CHAR.test(after) &&
        length(match[0]) <= 6 && manifest.elisions.indexOf(word) !== -1;
      var n = length(word);
      if (!elided && n >= manifest.min_word && n <= manifest.max_word && words.indexOf(word) === -1) {
        words.push(word);
      }
    }
    return words;
  }

  function prepare(manifest) {
    manifest.endings = new Set(manifest.suffixes);
    manifest.longest = manifest.suffixes.reduce(function (n, s) { return Math.max(n, s.length); }, 2);
    return manifest;
  }

  // The term files whose range of terms meets [low, high].
  function termFiles(manifest, low, high) {
    var firsts = manifest.term_files;
    var files = [];
    for (var i = 0; i < firsts.length; i++) {
      if (firsts[i] > high) break;
      if (i + 1 < firsts.length && firsts[i + 1] <= low) continue;
      files.push("terms-" + i + ".json");
    }
    return files;
  }

  // How well an index term stands for a query word: 1 for the word itself, less for a shorter
  // stem of it or for a longer word being typed; 0 for no match.
  function matchQuality(word, term, manifest) {
    if (term === word) return 1;
    if (term.length >= manifest.min_stem && word.lastIndexOf(term, 0) === 0) {
      var rest = word.slice(term.length);
      if (rest.length <= 2 || manifest.endings.has(rest)) return term.length / word.length;
    }
    if (word.length >= manifest.min_stem && term.lastIndexOf(word, 0) === 0) return word.length / term.length;
    return 0;
  }

  // Each page's score for one word: the best of its matching terms.
  function scoreWord(word, manifest) {
    // Shorter words match themselves only; longer ones also shorter terms and longer words.
    var low = word.slice(0, Math.max(manifest.min_stem, word.length - manifest.longest));
    var high = word.length < manifest.min_stem ? word : word + "\uffff";
    return Promise.all(termFiles(manifest, low, high).map(load)).then(function (files) {
      var scores = new Map();
      files.forEach(function (terms) {
        Object.keys(terms).forEach(function (term) {
          var quality = matchQuality(word, term, manifest);
          if (quality === 0) return;
          var postings = terms[term];
          var found = postings.length / 2;
          var idf = Math.log(1 + (manifest.pages - found + 0.5) / (found + 0.5));
          var page = 0;
          for (var i = 0; i < postings.length; i += 2) {
            page += postings[i];
            var score = quality * idf * postings[i + 1];
            if (!(scores.get(page) >= score)) scores.set(page, score);
          }
        });
      });
      return scores;
    });
  }

  // Page numbers with every word, best first.
  function search(query) {
    return load("index.json").then(function (manifest) {
      if (manifest.version !== FORMAT) throw new Error("search index format " + manifest.version);
      if (!manifest.endings) prepare(manifest);
      var words = queryWords(query, manifest);
      if (words.length === 0) return [];
      return Promise.all(words.map(function (w) { return scoreWord(w, manifest); })).then(function (perWord) {
        var ranked = [];
        perWord[0].forEach(function (score, page) {
          for (var i = 1; i < perWord.length; i++) {
            var other = perWord[i].get(page);
            if (other === undefined) return;
            score += other;
          }
          ranked.push({ page: page, score: score });
        });
        ranked.sort(function (a, b) { return b.score - a.score || a.page - b.page; });
        return ranked.map(function (r) { return r.page; });
      });
    });
  }

  function pageInfo(page) {
    return load("index.json").then(function (manifest) {
      var each = manifest.pages_per_file;
      return load("pages-" + Math.floor(page / each) + ".json").then(function (rows) {
        var row = rows[page % each];
        return { url: new URL(row[0], root).href, title: row[1], summary: row[2] };
      });
    });
  }

  // The search box: an input, and under it a panel with the results.
  var input = document.createElement("input");
  input.type = "search";
  input.className = "search-input";
  input.id = "search-input";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.placeholder = box.getAttribute("data-placeholder") || label;
  input.setAttribute("aria-label", label);
  input.setAttribute("aria-controls", "search-results");
  var panel = document.createElement("div");
  panel.className = "search-panel";
  panel.hidden = true;
  var list = document.createElement("ol");
  list.className = "search-results";
  list.id = "search-results";
  list.setAttribute("aria-label", box.getAttribute("data-results") || label);
  var empty = document.createElement("p");
  empty.className = "search-empty";
  empty.textContent = box.getAttribute("data-no-results") || "";
  empty.hidden = true;
  var more = document.createElement("button");
  more.type = "button";
  more.className = "search-more";
  more.textContent = box.getAttribute("data-more") || "…";
  more.hidden = true;
  var status = document.createElement("p");
  status.className = "search-status";
  status.setAttribute("role", "status");
  panel.appendChild(list);
  panel.appendChild(empty);
  panel.appendChild(more);
  box.appendChild(input);
  box.appendChild(panel);
  box.appendChild(status);

  var pages = [];
  var shown = 0;
  var asked = 0;
  var timer = null;

  // Set when the reader closed the results with Escape; typing or a click opens them again.
  var dismissed = false;

  function close() {
    panel.hidden = true;
  }

  function reopen() {
    if (input.value.trim() !== "" && (pages.length > 0 || !empty.hidden)) panel.hidden = false;
  }

  function show(from) {
    var batch = pages.slice(from, from + SHOWN);
    var query = asked;
    return Promise.all(batch.map(pageInfo)).then(function (infos) {
      if (query !== asked) return;
      infos.forEach(function (info) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = info.url;
        link.className = "search-result";
        var title = document.createElement("span");
        title.className = "search-result-title";
        title.textContent = info.title;
        link.appendChild(title);
        if (info.summary) {
          var summary = document.createElement("span");
          summary.className = "search-result-summary";
          summary.textContent = info.summary;
          link.appendChild(summary);
        }
        item.appendChild(link);
        list.appendChild(item);
      });
      shown = from + batch.length;
      more.hidden = shown >= pages.length;
    });
  }

  function run() {
    var query = input.value.trim();
    var id = ++asked;
    if (query === "") {
      pages = [];
      list.textContent = "";
      status.textContent = "";
      close();
      return;
    }
    search(query).then(function (found) {
      if (id !== asked) return;
      pages = found;
      list.textContent = "";
      empty.hidden = found.length > 0;
      more.hidden = true;
      panel.hidden = false;
      status.textContent = found.length > 0 ? list.getAttribute("aria-label") + " (" + found.length + ")" : empty.textContent;
      return show(0);
    }).catch(function (error) {
      if (window.console) console.warn("search:", error);
    });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  input.addEventListener("input", function () {
    dismissed = false;
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  input.addEventListener("focus", function () {
    if (!dismissed) reopen();
  });
  input.addEventListener("click", function () {
    dismissed = false;
    reopen();
  });
  input.addEventListener("keydown", function (event) {
    var first = links()[0];
    if (event.key === "ArrowDown" && first && !panel.hidden) {
      event.preventDefault();
      first.focus();
    } else if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      if (first && !panel.hidden) first.click(); else run();
    } else if (event.key === "Escape") {
      if (!panel.hidden) { event.preventDefault(); dismissed = true; close(); } else { input.value = ""; run(); }
    }
  });
  panel.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      dismissed = true;
      close();
      input.focus();
    } else if (event.key === "ArrowDown" && at !== -1) {
      event.preventDefault();
      if (at + 1 < all.length) all[at + 1].focus(); else if (!more.hidden) more.focus();
    } else if (event.key === "ArrowUp" && (at !== -1 || document.activeElement === more)) {
      event.preventDefault();
      if (document.activeElement === more) at = all.length;
      if (at > 0) all[at - 1].focus(); else input.focus();
    }
  });
  more.addEventListener("click", function () {
    var next = shown;
    show(next).then(function () {
      var all = links();
      if (all[next]) all[next].focus();
    });
  });
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target)) close();
  });
  box.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !box.contains(event.relatedTarget)) close();
  });
})();
