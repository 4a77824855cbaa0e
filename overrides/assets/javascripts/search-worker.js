/* Site search that understands Japanese: a drop-in replacement for Material's
   search worker (same messages, so Material's header search box, result list
   and on-page highlighting keep working). Built by scripts/search.py, which
   writes search/search_index.json per language and points Material at this file.

   Why not lunr + TinySegmenter or Pagefind: both cut words one way when
   indexing and another way when searching, so 減災 or このサイト can fail to
   match (measured: scripts/search_benchmark.py). Here the index is built in
   the browser from plain text with the same function that reads the query:
   Japanese runs become overlapping character pairs (bigrams), so any word
   inside a compound matches; Latin words are whole words stemmed with the
   Snowball English (Porter2) stemmer (vendor/porter2.js), after UK spellings
   become US ones (ageing -> aging, colour -> color).

   Search by sound: scripts/search.py writes the readings of the pages'
   Japanese words (from SudachiPy) to search/readings.json; the worker fetches
   it the first time a query is in kana or romaji. A query that reads as whole
   words (じしん, jishin) finds them (地震), below pages that have it as typed. What the worker builds from the index is kept in
   IndexedDB under the index's hash (config.hash), so later page loads skip it.

   Messages (Material 9): 0 SETUP {config, docs} -> 1 READY; 2 QUERY text -> 3 RESULT {items}. */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;

importScripts("vendor/porter2.js");

/* ---------------------------------------------------------------- text */

var CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc\u3005\u3006\u30f5\u30f6]/u;
var WORD = /[\p{L}\p{N}]/u;
var MARKS = /^[\u3099\u309a]$/;  // combining (han)dakuten left alone by NFKC per character

/* Fold one string for matching: NFKC (full-width ASCII, half-width kana),
   lower case, katakana -> hiragana. Dakuten stay: ガイド and カイト differ.
   Returns the folded text and, for each folded character, the index of the
   original character it came from (to highlight the original text). */
function fold(text) {
  var out = [], from = [];
  var chars = Array.from(text.normalize("NFC"));
  var offset = 0;
  for (var i = 0; i < chars.length; i++) {
    var f = chars[i].normalize("NFKC").toLowerCase();
    for (var c of f) {
      var code = c.codePointAt(0);
      if (code >= 0x30a1 && code <= 0x30f6) c = String.fromCodePoint(code - 0x60);
      if (MARKS.test(c) && out.length) {
        // ｶﾞ: a half-width voiced mark joins the kana before it (ガ, not カ + mark).
        out[out.length - 1] = (out[out.length - 1] + c).normalize("NFC");
        continue;
      }
      out.push(c);
      from.push(offset);
    }
    offset += chars[i].length;
  }
  return { chars: out, from: from, end: offset };
}

var STOP = new Set(("a an and are as at be by for from has have how in is it its of on or that the " +
  "this to was were what when where which who why will with").split(" "));

var NUMBERS = { one: "1", two: "2", three: "3", four: "4", five: "5", six: "6", seven: "7", eight: "8",
  nine: "9", ten: "10", first: "1st", second: "2nd", third: "3rd" };

/* UK spellings -> US ones, on both sides, so each finds the other. Whole
   words, then families by root (colour, colours, coloured: root "col"). */
var SPELLING = { ageing: "aging", programme: "program", programmes: "programs", defence: "defense",
  licence: "license", offence: "offense", grey: "gray", aluminium: "aluminum", catalogue: "catalog",
  catalogues: "catalogs", judgement: "judgment", acknowledgement: "acknowledgment", enrolment: "enrollment",
  fulfil: "fulfill", fulfilment: "fulfillment", sceptical: "skeptical", manoeuvre: "maneuver", mould: "mold",
  plough: "plow", jewellery: "jewelry", practise: "practice", practised: "practiced", practising: "practicing",
  analyse: "analyze", analysed: "analyzed", analysing: "analyzing", paralyse: "paralyze", tyre: "tire",
  tyres: "tires", kerb: "curb", draught: "draft", pyjamas: "pajamas", paediatric: "pediatric" };
var OUR = new Set(["col", "behavi", "fav", "lab", "neighb", "hon", "harb", "rum", "flav", "hum", "vap", "vig",
  "endeav", "splend", "rig", "od", "cand", "clam", "tum", "parl", "savi", "arm", "ard"]);
var RE = new Set(["cent", "met", "lit", "fib", "theat", "sab", "spect", "lust", "somb", "calib", "kilomet",
  "centimet", "millimet", "decimet", "manoeuv", "mit", "sceptr", "goit", "lustr"]);
var ISE = new Set(["organ", "real", "recogn", "priorit", "minim", "maxim", "digit", "standard", "util", "optim",
  "modern", "mobil", "emphas", "summar", "character", "special", "local", "central", "visual", "stabil",
  "categor", "author", "final", "normal", "harmon", "revital", "urban", "industrial", "global", "public",
  "critic", "apolog", "custom", "synchron", "mechan", "computer", "energ", "capital", "legal", "initial",
  "memor", "sanit", "subsid", "privat", "neutral", "decentral", "rational", "international", "civil",
  "human", "familiar", "commercial", "democrat", "symbol", "theor", "immun", "steril", "fertil", "agon",
  "jeopard", "vandal", "western", "satir", "motor", "colon", "economi", "weatherproof", "item", "patron",
  "scrutin", "hospital", "institution", "institutional", "commercial", "personal", "visual", "marginal",
  "operational", "formal", "penal", "tranquil", "monopol", "polar", "popular", "regular", "secular",
  "vocal", "equal", "general", "ideal", "natural", "neutral", "radical", "conceptual", "contextual"]);
var LL = new Set(["travel", "model", "label", "fuel", "signal", "cancel", "level", "channel", "counsel",
  "total", "equal", "dial", "marvel", "tunnel", "jewel", "quarrel", "panel", "pedal", "rival", "shovel"]);

function spelling(word) {
  if (SPELLING[word]) return SPELLING[word];
  var m = /^([a-z]+?)our(s|ed|ing|ite|ites|able|ful|less)?$/.exec(word);
  if (m && OUR.has(m[1])) return m[1] + "or" + (m[2] || "");
  m = /^([a-z]+?)re(s|d)?$/.exec(word);
  if (m && RE.has(m[1])) return m[1] + "er" + (m[2] === "d" ? "ed" : m[2] || "");
  m = /^([a-z]+?)is(e|ed|es|ing|ation|ations|er|ers)$/.exec(word);
  if (m && ISE.has(m[1])) return m[1] + "iz" + m[2];
  m = /^([a-z]+?)l(led|ling|ler|lers)$/.exec(word);
  if (m && LL.has(m[1] + "l")) return m[1] + "l" + m[2].slice(1);
  return word;
}

var stems = new Map();

/* Index and query terms of an English word: number words become digits
   ("five years" finds "5 years"), other words their Porter2 stem. */
function stem(word) {
  if (NUMBERS[word]) return NUMBERS[word];
  if (!/^[a-z]+$/.test(word)) return word;
  var hit = stems.get(word);
  if (hit === undefined) stems.set(word, hit = porter2.stem(spelling(word)));
  return hit;
}

/* fold() without the offsets, for indexing whole fields at once (much faster). */
function foldText(text) {
  return text.normalize("NFKC").toLowerCase().replace(/[\u30a1-\u30f6]/g, function (c) {
    return String.fromCharCode(c.charCodeAt(0) - 0x60);
  });
}

/* ---------------------------------------------------------------- romaji

   Hepburn, Kunrei and keyboard romaji -> hiragana, for queries typed in
   Latin letters on a site with readings: jishin, zisin -> じしん; bōsai,
   bousai -> ぼうさい (boosai: ぼおさい, which loose() below equates). */
var KANA_ROWS = { "": "あいうえお", k: "かきくけこ", g: "がぎぐげご", s: "さしすせそ", z: "ざじずぜぞ",
  t: "たちつてと", d: "だぢづでど", n: "なにぬねの", h: "はひふへほ", b: "ばびぶべぼ", p: "ぱぴぷぺぽ",
  m: "まみむめも", r: "らりるれろ" };
var ROMAJI = { ya: "や", yu: "ゆ", yo: "よ", wa: "わ", wo: "を", shi: "し", chi: "ち", tsu: "つ", fu: "ふ",
  ji: "じ", fa: "ふぁ", fi: "ふぃ", fe: "ふぇ", fo: "ふぉ", she: "しぇ", che: "ちぇ", je: "じぇ", va: "ゔぁ",
  vi: "ゔぃ", vu: "ゔ", ve: "ゔぇ", vo: "ゔぉ", "-": "ー" };
(function () {
  for (var c in KANA_ROWS) for (var v = 0; v < 5; v++) ROMAJI[c + "aiueo"[v]] = KANA_ROWS[c][v];
  var small = { a: "ゃ", u: "ゅ", o: "ょ" };
  var youon = { ky: "き", gy: "ぎ", sy: "し", sh: "し", zy: "じ", j: "じ", jy: "じ", ty: "ち", ch: "ち",
    cy: "ち", dy: "ぢ", ny: "に", hy: "ひ", by: "び", py: "ぴ", my: "み", ry: "り" };
  for (var y in youon) for (var v2 in small) ROMAJI[y + v2] = youon[y] + small[v2];
})();
var MACRONS = { "ā": "aa", "â": "aa", "ī": "ii", "î": "ii", "ū": "uu", "û": "uu", "ē": "ee", "ê": "ee",
  "ō": "ou", "ô": "ou" };

/* Hiragana for a romaji word, or null if it is not romaji ("disaster"). */
function toKana(word) {
  var s = word.normalize("NFC").toLowerCase().replace(/[āâīîūûēêōô]/g, function (c) { return MACRONS[c]; });
  var out = "", i = 0;
  while (i < s.length) {
    var c = s[i], next = s[i + 1] || "";
    if (c === "'") { i++; continue; }
    if (c === "n" && (next === "'" || next === "n" || (next && !/[aiueoy]/.test(next)) || !next)) {
      out += "ん";  // n', nn, n before a consonant or at the end
      i += next === "'" ? 2 : 1;
      continue;
    }
    if (c === "m" && /[bmp]/.test(next)) { out += "ん"; i++; continue; }  // shimbun
    if (c === next && /[bcdfghjkpqrstvwxz]/.test(c) || (c === "t" && next === "c")) { out += "っ"; i++; continue; }
    var piece = null;
    for (var n = 3; n >= 1 && !piece; n--) if (ROMAJI[s.substr(i, n)] && i + n <= s.length) piece = s.substr(i, n);
    if (!piece) return null;
    out += ROMAJI[piece];
    i += piece.length;
  }
  return out || null;
}

/* Long vowels written any way (ぼうさい, ぼおさい, ぼーさい) -> one key. */
var ROWS = { "あ": "あかさたなはまやらわがざだばぱゃ", "い": "いきしちにひみりぎじぢびぴ", "う": "うくすつぬふむゆるぐずづぶぷゅ",
  "え": "えけせてねへめれげぜでべぺ", "お": "おこそとのほもよろごぞどぼぽょを" };
var LONG = {};
(function () {
  for (var v in ROWS) for (var k of ROWS[v]) LONG[k] = v === "お" ? "おう" : v === "え" ? "えい" : v;
})();
function loose(kana) {
  var cs = Array.from(kana), out = "";
  for (var i = 0; i < cs.length; i++) {
    var prev = cs[i - 1];
    if (i > 0 && (cs[i] === "ー" || (LONG[prev] && LONG[prev].includes(cs[i])))) { out += "ー"; continue; }
    out += cs[i];
  }
  return out;
}

/* Split folded characters into runs: Japanese ("cjk") and words ("word"). */
function runs(chars) {
  var result = [], kind = null, start = 0;
  for (var i = 0; i <= chars.length; i++) {
    var c = chars[i];
    var k = c === undefined ? null : CJK.test(c) ? "cjk" : WORD.test(c) ? "word" : null;
    if (k !== kind) {
      if (kind) result.push({ kind: kind, start: start, text: chars.slice(start, i).join("") });
      kind = k;
      start = i;
    }
  }
  return result;
}

/* Index terms of a run: Japanese -> single characters and pairs; word -> stem. */
function terms(run, lang, unigrams) {
  if (run.kind === "word") return [stem(run.text)];
  var cs = Array.from(run.text), list = [];
  if (cs.length === 1 || unigrams) for (var c of cs) list.push(c);
  for (var i = 0; i + 1 < cs.length; i++) list.push(cs[i] + cs[i + 1]);
  return list;
}

/* ---------------------------------------------------------------- index */

var FIELDS = { title: 4, headings: 2, description: 1.5, text: 1 };
var pages = [];        // [{location, title, fields: {name: {len, tf: Map}}, folded, sections: []}]
var df = new Map();    // term -> number of pages containing it
var vocabulary = [];   // distinct word terms, for prefix matching while typing
var averages = {};
var language = "ja";

/* runs() for a whole field at once: one regular expression instead of a test per character. */
var RUN = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc\u3005\u3006\u30f5\u30f6]+)|((?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc\u3005\u3006\u30f5\u30f6])[\p{L}\p{N}])+)/gu;

function addTerms(field, text) {
  var folded = foldText(text);
  var tf = new Map(), len = 0, sequence = [];
  for (var m of folded.matchAll(RUN)) {
    var run = { kind: m[1] ? "cjk" : "word", text: m[0] };
    sequence.push(run.kind === "word" ? stem(run.text) : "|");
    for (var t of terms(run, language, false)) {
      tf.set(t, (tf.get(t) || 0) + 1);
      len++;
    }
  }
  return { len: len, tf: tf, folded: folded, words: " " + sequence.join(" ") + " " };
}

/* " 5 year plan " : the Latin words of a text, stemmed, for phrase matches. */
function wordSequence(chars) {
  var list = [];
  for (var run of runs(chars)) list.push(run.kind === "word" ? stem(run.text) : "|");
  return " " + list.join(" ") + " ";
}

/* reading -> {surfaces, folded surfaces, pages: Map(page number -> count)};
   loose key -> [readings]. From config.readings (scripts/search.py). */
var readings = new Map(), looseReadings = new Map();

var readingsUrl = null, readingsLoad = null;

function configure(config) {
  language = (config && config.lang && config.lang[0]) || "ja";
  readings = new Map();
  looseReadings = new Map();
  // The worker is served from assets/javascripts/ below the language's root (scripts/search.py).
  readingsUrl = config && config.readings_url ? new URL("../../" + config.readings_url, self.location.href).href : null;
  readingsLoad = null;
  if (config && config.readings) addReadings(config.readings);
}

/* Fetch the readings once, when a query may be read by sound. */
function readingsFor(query) {
  if (!readingsUrl || readingsLoad || !mayBeSound(query)) return readingsLoad || Promise.resolve();
  readingsLoad = fetch(readingsUrl).then(function (response) {
    if (!response.ok) throw new Error(response.status);
    return response.json();
  }).then(addReadings).catch(function (error) { console.warn("search readings not loaded", error); });
  return readingsLoad;
}

/* A word in kana, or Latin letters that are not a word of the site (jishin, not dx). */
function mayBeSound(query) {
  return query.trim().split(/[\s\u3000]+/).some(function (word) {
    var typed = word.normalize("NFKC").toLowerCase();
    return KANA_WORD.test(foldText(typed)) || (LATIN_WORD.test(typed) && !df.has(stem(typed.replace(/['-]/g, ""))));
  });
}

function addReadings(given) {
  for (var key in given) {
    var postings = new Map(), list = given[key][1];
    for (var i = 0; i + 1 < list.length; i += 2) postings.set(list[i], list[i + 1]);
    readings.set(key, { surfaces: given[key][0], pages: postings });
  }
}

/* Loose keys, made the first time a query needs them. */
function looseKeys() {
  if (!looseReadings.size)
    for (var key of readings.keys()) {
      var l = loose(key);
      if (!looseReadings.has(l)) looseReadings.set(l, []);
      looseReadings.get(l).push(key);
    }
  return looseReadings;
}

function build(data) {
  pages = [];
  df = new Map();
  var byLocation = new Map();
  for (var doc of data.docs) {
    var base = doc.location.split("#")[0];
    var page = byLocation.get(base);
    if (!page) {
      page = { location: base, title: "", description: "", sections: [], parts: { title: [], headings: [], text: [] } };
      byLocation.set(base, page);
      pages.push(page);
    }
    var section = { location: doc.location, title: doc.title, text: doc.text || "" };
    if (doc.location === base) {
      page.title = doc.title;
      page.description = doc.description || "";
      page.parts.title.push(doc.title);
      page.sections.unshift(section);
    } else {
      page.parts.headings.push(doc.title);
      page.sections.push(section);
    }
    page.parts.text.push(section.text);
  }
  var totals = {};
  pages.forEach(function (p, i) { p.number = i; });
  for (var p of pages) {
    p.fields = {
      title: addTerms("title", p.parts.title.join(" ")),
      headings: addTerms("headings", p.parts.headings.join(" \n ")),
      description: addTerms("description", p.description),
      text: addTerms("text", p.parts.text.join(" \n "))
    };
    var seen = new Set();
    for (var name in p.fields) {
      totals[name] = (totals[name] || 0) + p.fields[name].len;
      for (var t of p.fields[name].tf.keys()) seen.add(t);
    }
    for (var t2 of seen) df.set(t2, (df.get(t2) || 0) + 1);
  }
  for (var name2 in FIELDS) averages[name2] = Math.max(1, (totals[name2] || 0) / Math.max(1, pages.length));
  vocabulary = Array.from(df.keys()).filter(function (t) { return /^[\p{L}\p{N}]{3,}$/u.test(t) && !CJK.test(t); });
}

/* Sections are folded (with offsets, for highlighting) only when shown. */
function foldedSection(section) {
  if (!section.foldedTitle) {
    section.foldedTitle = fold(section.title);
    section.foldedText = fold(section.text);
  }
  return section;
}

/* ---------------------------------------------------------------- cache

   The built index in IndexedDB, one entry per language, valid while the
   index's hash (config.hash: index, worker and stemmer) is the same. */
var DB_NAME = "site-search", STORE = "index";

function database() {
  return new Promise(function (resolve, reject) {
    if (typeof indexedDB === "undefined") return reject(new Error("no IndexedDB"));
    var request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = function () { request.result.createObjectStore(STORE); };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });
}

function cached(key) {
  return database().then(function (db) {
    return new Promise(function (resolve) {
      var request = db.transaction(STORE, "readonly").objectStore(STORE).get(key);
      request.onsuccess = function () { db.close(); resolve(request.result || null); };
      request.onerror = function () { db.close(); resolve(null); };
    });
  }).catch(function () { return null; });
}

function keep(key, value) {
  return database().then(function (db) {
    var tx = db.transaction(STORE, "readwrite");
    tx.objectStore(STORE).put(value, key);
    tx.oncomplete = tx.onerror = tx.onabort = function () { db.close(); };
  }).catch(function () {});
}

/* Set up from the index: from the cache when it holds this build's index.
   Resolves to true when the cache was used. */
function setup(data) {
  configure(data.config);
  var hash = data.config && data.config.hash, key = "index:" + language;
  var hit = hash ? cached(key) : Promise.resolve(null);
  return hit.then(function (entry) {
    if (entry && entry.hash === hash && entry.format === FORMAT) {
      unpack(entry);
      return true;
    }
    build(data);
    if (hash) keep(key, pack(hash));
    return false;
  });
}

/* The cache entry: term maps as one string of keys and one array of counts
   each, which IndexedDB stores and reads back much faster than Maps. */
var FORMAT = 1, SEP = "\u0001";

function packMap(map) {
  return { keys: Array.from(map.keys()).join(SEP), counts: Uint32Array.from(map.values()) };
}

function unpackMap(packed) {
  var map = new Map();
  if (!packed.counts.length) return map;
  var keys = packed.keys.split(SEP);
  for (var i = 0; i < keys.length; i++) map.set(keys[i], packed.counts[i]);
  return map;
}

function pack(hash) {
  return {
    hash: hash, format: FORMAT, averages: averages, vocabulary: vocabulary.join(SEP), df: packMap(df),
    pages: pages.map(function (p) {
      var fields = {};
      for (var name in p.fields)
        fields[name] = { len: p.fields[name].len, folded: p.fields[name].folded, words: p.fields[name].words,
          tf: packMap(p.fields[name].tf) };
      return { location: p.location, title: p.title, description: p.description, number: p.number, fields: fields,
        sections: p.sections.map(function (x) { return { location: x.location, title: x.title, text: x.text }; }) };
    })
  };
}

function unpack(entry) {
  averages = entry.averages;
  vocabulary = entry.vocabulary ? entry.vocabulary.split(SEP) : [];
  df = unpackMap(entry.df);
  pages = entry.pages.map(function (p) {
    for (var name in p.fields) p.fields[name].tf = unpackMap(p.fields[name].tf);
    return p;
  });
}

/* ---------------------------------------------------------------- query */

function idf(term) {
  if (single(term) && !df.has(term))
    df.set(term, pages.filter(function (p) {
      for (var name in FIELDS) if (p.fields[name].folded.includes(term)) return true;
      return false;
    }).length);
  var n = df.get(term) || 0;
  return Math.log(1 + (pages.length - n + 0.5) / (n + 0.5));
}

/* The query: whitespace-separated words, each split into runs and terms the
   same way as the index. Each term may expand to vocabulary words that start
   with it (typing "maint" finds "maintenance"). */
var KANA_WORD = /^[\u3041-\u3096\u30fc]{2,}$/;
var LATIN_WORD = /^[a-zāâīîūûēêōô'-]{2,}$/;

/* Kana read as whole words of the site: the fewest readings that spell it
   (ぼうさいくんれん -> ぼうさい + くんれん), exactly or with long vowels
   loosened. Each piece: {keys: [readings], weight}. Null if none spells it. */
function readingPieces(kana) {
  if (!readings.size || !KANA_WORD.test(kana)) return null;
  var pieces = split(kana, function (piece) { return readings.has(piece) ? [piece] : null; });
  return pieces || split(loose(kana), function (piece) { return looseKeys().get(piece) || null; });
}

function split(text, lookup) {
  var cs = Array.from(text), best = [[]];
  for (var end = 1; end <= cs.length; end++) {
    best[end] = null;
    for (var start = Math.max(0, end - 24); start <= end - 2; start++) {
      if (!best[start]) continue;
      var keys = lookup(cs.slice(start, end).join(""));
      if (keys && (!best[end] || best[start].length + 1 < best[end].length))
        best[end] = best[start].concat([keys]);
    }
  }
  var found = best[cs.length];
  return found && found.length ? found.map(function (keys) {
    var weight = Math.max.apply(null, keys.map(function (k) { return readingIdf(k); }));
    return { keys: keys, weight: weight };
  }) : null;
}

function readingIdf(key) {
  var n = readings.get(key).pages.size;
  return Math.log(1 + (pages.length - n + 0.5) / (n + 0.5));
}

function parse(query) {
  var words = query.trim().split(/[\s\u3000]+/).filter(Boolean);
  var parsed = [];
  for (var w = 0; w < words.length; w++) {
    var typed = words[w].normalize("NFKC").toLowerCase();
    // Romaji on a site with readings: jishin -> じしん, unless it is a word of the site (dx, society).
    var kana = readings.size && LATIN_WORD.test(typed) && !df.has(stem(typed.replace(/['-]/g, ""))) ? toKana(typed) : null;
    var word = parseWord(kana || words[w], words.length);
    if (!word) continue;
    word.word = words[w];
    var single = word.folded.length === 1 && word.units[0].kind === "cjk";
    word.reading = single ? readingPieces(word.folded[0]) : null;
    word.alternatives = [];
    if (word.reading)
      for (var piece of word.reading) {
        // Each word the kana may stand for, parsed as if typed (to score it the same way).
        piece.surfaces = [];
        for (var key of piece.keys)
          for (var surface of readings.get(key).surfaces) {
            var parsedSurface = parseWord(surface, 1);
            if (parsedSurface) piece.surfaces.push({ key: key, word: parsedSurface });
            word.alternatives.push(foldText(surface));
          }
      }
    parsed.push(word);
  }
  return parsed;
}

/* One query word: its runs and their terms, the same way as the index. Each
   term may expand to vocabulary words that start with it (typing "maint"
   finds "maintenance"). */
function parseWord(text, count) {
  var f = fold(text);
  var rs = runs(f.chars).filter(function (run) {
    return !(run.kind === "word" && STOP.has(run.text) && count > 1);
  });
  var list = [], units = [];
  for (var run of rs) {
    var unit = { kind: run.kind, size: Array.from(run.text).length, terms: [] };
    for (var t of terms(run, language, false)) {
      var variants = [[t, 1]];
      // Words that start with it (typing "maint" finds "maintenance"), and for
      // long words, shorter words it starts with ("competitiveness" finds "competitive").
      if (run.kind === "word" && t.length >= 3)
        for (var v of vocabulary)
          if (v !== t && (v.startsWith(t) || (v.length >= 6 && t.startsWith(v)))) variants.push([v, 0.6]);
      var term = { term: t, variants: variants, weight: idf(t) };
      list.push(term);
      unit.terms.push(term);
    }
    units.push(unit);
  }
  return list.length ? { word: text, folded: rs.map(function (r) { return r.text; }), terms: list, units: units } : null;
}

/* Single Japanese characters are not indexed (half the work of building the
   index); a one-character query (橋) counts them in the folded text instead. */
function count(text, c) {
  var n = 0, at = text.indexOf(c);
  while (at !== -1) { n++; at = text.indexOf(c, at + c.length); }
  return n;
}

function single(term) {
  return term.length <= 2 && CJK.test(term) && Array.from(term).length === 1;
}

function termCount(field, term) {
  if (!single(term)) return field.tf.get(term) || 0;
  if (!field.chars) field.chars = new Map();
  var n = field.chars.get(term);
  if (n === undefined) field.chars.set(term, n = count(field.folded, term));
  return n;
}

function fieldScore(field, name, term) {
  var k1 = 1.2, b = 0.75, best = 0;
  for (var pair of term.variants) {
    var tf = termCount(field, pair[0]);
    if (!tf) continue;
    var norm = tf * (k1 + 1) / (tf + k1 * (1 - b + b * field.len / averages[name]));
    best = Math.max(best, idf(pair[0]) * norm * pair[1]);
  }
  return best;
}

/* How much of one run of the query a page has: for Japanese, the share of
   its characters inside a matching pair (人口減少 on a page with 人口 and 減少
   but not 口減: all four); for a Latin word, whether it (or a longer word
   starting with it) is there. */
function phrase(parsed) {
  var stems = [];
  for (var word of parsed) for (var unit of word.units) if (unit.kind === "word") stems.push(unit.terms[0].term);
  return stems.length > 1 ? " " + stems.join(" ") + " " : "";
}

function unitCoverage(unit, found) {
  if (unit.kind !== "cjk" || unit.size < 2) return unit.terms.some(function (t) { return found.has(t); }) ? 1 : 0;
  var covered = new Array(unit.size).fill(false);
  unit.terms.forEach(function (t, i) { if (found.has(t)) covered[i] = covered[i + 1] = true; });
  // Short words must match whole: カイト is not half of サイト.
  if (unit.size <= 3) return unit.terms.every(function (t) { return found.has(t); }) ? 1 : 0;
  return covered.filter(Boolean).length / unit.size;
}

/* Score a page: BM25 over its fields, times how much of the query it covers
   (so a page with every word beats one that repeats a single word), plus a
   bonus when a query word appears exactly as typed. */
var READING_WEIGHT = 0.8;

/* One query word on a page, as typed: BM25 over the fields, the share of it
   the page covers, and whether the page has it exactly (with a bonus). */
function wordMatch(page, word) {
  var score = 0, covered = 0, total = 0, found = new Set();
  for (var term of word.terms) {
    var s = 0;
    for (var name in FIELDS) s += FIELDS[name] * fieldScore(page.fields[name], name, term);
    score += s;
    if (s > 0) found.add(term);
  }
  for (var unit of word.units) {
    var weight = unit.terms.reduce(function (sum, t) { return sum + t.weight; }, 0);
    total += weight;
    covered += weight * unitCoverage(unit, found);
  }
  var exact = word.folded.every(function (r) {
    return page.fields.title.folded.includes(r) || page.fields.text.folded.includes(r) ||
      page.fields.headings.folded.includes(r) || page.fields.description.folded.includes(r);
  });
  if (exact) {
    covered = total;
    score += total * (word.folded.every(function (r) { return page.fields.title.folded.includes(r); }) ? 3 : 1);
  }
  return { score: score, covered: covered, total: total, exact: exact };
}

/* A kana word read as the words it sounds like (じしん -> 地震): scored as if
   the word had been typed, times READING_WEIGHT (so it ranks below the kana
   as typed), and only on pages where SudachiPy found that word whole (so 川
   does not count inside 品川). Share covered: the pieces found. */
function readingMatch(page, word) {
  var score = 0, got = 0, all = 0;
  for (var piece of word.reading) {
    var best = 0;
    for (var candidate of piece.surfaces)
      if (readings.get(candidate.key).pages.has(page.number))
        best = Math.max(best, Math.max(wordMatch(page, candidate.word).score, 1e-6));
    score += READING_WEIGHT * best;
    all += piece.weight;
    if (best > 0) got += piece.weight;
  }
  return { score: score, share: all ? got / all : 0 };
}

/* Score a page: BM25 over its fields, times how much of the query it covers
   (so a page with every word beats one that repeats a single word), plus a
   bonus when a query word appears exactly as typed. */
function scorePage(page, parsed) {
  var score = 0, covered = 0, total = 0, matched = {};
  for (var word of parsed) {
    var m = wordMatch(page, word);
    if (!m.exact && word.reading) {
      // Kana that reads as words of the site: the words decide, not pairs of
      // kana that happen to occur (しん, うか).
      var r = readingMatch(page, word);
      m.score = r.score;
      m.covered = m.total * r.share;
    }
    score += m.score;
    covered += m.covered;
    total += m.total;
    matched[word.word] = m.total > 0 && m.covered / m.total >= 0.5;
  }
  // Several Latin words in the order typed ("five years" in "… 5 years …").
  var sequence = phrase(parsed);
  if (sequence && ["title", "headings", "text", "description"].some(function (name) {
    return page.fields[name].words.includes(sequence);
  })) score += total;
  var coverage = total ? covered / total : 0;
  return { score: score * coverage * coverage, coverage: coverage, matched: matched };
}

/* ---------------------------------------------------------------- results */

function escape(text) {
  return text.replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

/* Which folded characters to highlight: each query run where it occurs
   whole, otherwise its longest pieces (two characters or more) that occur. */
function marks(folded, parsed) {
  var text = folded.chars.join(""), marked = new Array(folded.chars.length).fill(false);
  var cpIndex = [];  // code unit offset -> character index
  var pos = 0;
  for (var i = 0; i < folded.chars.length; i++) { cpIndex[pos] = i; pos += folded.chars[i].length; }
  function mark(piece) {
    var found = false, at = text.indexOf(piece);
    while (at !== -1) {
      var start = cpIndex[at], n = Array.from(piece).length;
      for (var j = start; j < start + n; j++) marked[j] = true;
      found = true;
      at = text.indexOf(piece, at + piece.length);
    }
    return found;
  }
  for (var word of parsed) {
    for (var alternative of word.alternatives) mark(alternative);
    for (var run of word.folded) {
      var cs = Array.from(run);
      if (!CJK.test(cs[0])) {  // Latin: whole words only ("carbon" not inside "decarbonization")
        for (var t of word.terms) for (var v of t.variants) markWords(folded, v[0], marked);
        continue;
      }
      if (mark(run) || cs.length < 3) continue;
      if (word.reading) continue;  // kana read as words: no pieces of kana
      for (var size = cs.length - 1; size >= 2; size--)
        for (var s = 0; s + size <= cs.length; s++) mark(cs.slice(s, s + size).join(""));
    }
  }
  return marked;
}

function markWords(folded, term, marked) {
  for (var run of wordRuns(folded))
    if (run.stem === term)
      for (var j = run.start; j < run.end; j++) marked[j] = true;
}

/* The Latin words of a folded text with their stems, worked out once. */
function wordRuns(folded) {
  if (!folded.words)
    folded.words = runs(folded.chars).filter(function (run) { return run.kind === "word"; }).map(function (run) {
      return { start: run.start, end: run.start + Array.from(run.text).length, stem: stem(run.text) };
    });
  return folded.words;
}

/* Original text with <mark> around highlighted characters; for long text, a
   window around the first highlight. */
function highlight(original, folded, parsed, limit) {
  var marked = marks(folded, parsed);
  var first = marked.indexOf(true);
  var startChar = 0, endChar = folded.chars.length;
  if (limit && folded.chars.length > limit) {
    startChar = Math.max(0, (first === -1 ? 0 : first) - Math.floor(limit / 4));
    endChar = Math.min(folded.chars.length, startChar + limit);
  }
  var html = startChar > 0 ? "…" : "", open = false;
  for (var i = startChar; i < endChar; i++) {
    if (marked[i] && !open) { html += "<mark>"; open = true; }
    if (!marked[i] && open) { html += "</mark>"; open = false; }
    var a = folded.from[i], z = i + 1 < folded.from.length ? folded.from[i + 1] : folded.end;
    if (a !== (i > 0 ? folded.from[i - 1] : -1)) html += escape(original.slice(a, z));
  }
  if (open) html += "</mark>";
  if (endChar < folded.chars.length) html += "…";
  return html;
}

function sectionScore(section, parsed) {
  foldedSection(section);
  var title = section.foldedTitle.chars.join(""), text = section.foldedText.chars.join(""), s = 0;
  for (var word of parsed) {
    for (var run of word.folded.concat(word.alternatives)) {
      if (!CJK.test(run)) continue;
      if (title.includes(run)) s += 3;
      if (text.includes(run)) s += 1;
    }
    // Latin words by stem, as they are matched (aging finds "ageing").
    for (var unit of word.units)
      if (unit.kind === "word")
        for (var term of unit.terms)
          for (var v of term.variants) {
            if (stemsOf(section.foldedTitle).has(v[0])) s += 3;
            if (stemsOf(section.foldedText).has(v[0])) s += 1;
          }
  }
  return s;
}

function stemsOf(folded) {
  if (!folded.stems) folded.stems = new Set(wordRuns(folded).map(function (run) { return run.stem; }));
  return folded.stems;
}

function search(query) {
  var parsed = parse(query);
  if (!parsed.length || !pages.length) return { items: [] };
  var scored = [];
  for (var page of pages) {
    var r = scorePage(page, parsed);
    if (r.score > 0) scored.push({ page: page, score: r.score, coverage: r.coverage, matched: r.matched });
  }
  // Pages with most of the query; if none, the best partial matches (Material
  // lists the missing words under each result).
  var good = scored.filter(function (x) { return x.coverage >= 0.6; });
  scored = good.length ? good : scored.filter(function (x) { return x.coverage >= 0.2; });
  scored.sort(function (a, b) { return b.score - a.score; });
  var items = scored.map(function (hit) {
    var sections = hit.page.sections.map(function (section) {
      return { section: section, score: sectionScore(section, parsed) };
    });
    var article = sections[0];
    var rest = sections.slice(1).filter(function (x) { return x.score > 0; })
      .sort(function (a, b) { return b.score - a.score; });
    var docs = [article].concat(rest).map(function (x, i) {
      var sec = x.section;
      return {
        location: sec.location,
        title: highlight(sec.title, sec.foldedTitle, parsed, 0),
        text: sec.text ? "<p>" + highlight(sec.text, sec.foldedText, parsed, language === "ja" ? 90 : 160) + "</p>" : "",
        // Material shows sections scoring below the first one under "more".
        score: i === 0 ? hit.score : hit.score * Math.min(1, x.score / Math.max(1, article.score || x.score)),
        terms: hit.matched
      };
    });
    return docs;
  });
  return { items: items };
}

var ready = Promise.resolve();

addEventListener("message", function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    ready = setup(message.data).then(function (fromCache) {
      postMessage({ type: READY, cached: fromCache });
    });
  } else if (message.type === QUERY) {
    var text = String(message.data || "");
    ready.then(function () {  // a query sent while the index loads waits for it
      return readingsFor(text);
    }).then(function () {
      var data;
      try {
        data = search(text);
      } catch (error) {
        console.warn("search failed", error);
        data = { items: [] };
      }
      postMessage({ type: RESULT, data: data });
    });
  }
});
