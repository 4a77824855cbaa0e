/* Site search that understands Japanese: a drop-in replacement for Material's
   search worker (same messages, so Material's header search box, result list
   and on-page highlighting keep working). Built by scripts/search.py, which
   writes search/search_index.json per language and points Material at this file.

   Why not lunr + TinySegmenter or Pagefind: both cut words one way when
   indexing and another way when searching, so 減災 or このサイト can fail to
   match (measured: scripts/search_benchmark.py). Here the index is built in
   the browser from plain text with the same function that reads the query:
   Japanese runs become overlapping character pairs (bigrams), so any word
   inside a compound matches; Latin words are whole, lightly stemmed words.

   Messages (Material 9): 0 SETUP {config, docs} -> 1 READY; 2 QUERY text -> 3 RESULT {items}. */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;

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

/* A light English stemmer, enough for plurals and -ing/-ed forms; number
   words become digits ("five years" finds "5 years"). */
function stem(word) {
  if (NUMBERS[word]) return NUMBERS[word];
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  if (word.endsWith("'s")) word = word.slice(0, -2);
  if (word.endsWith("ies") && word.length > 4) return word.slice(0, -3) + "y";
  if (word.endsWith("sses")) return word.slice(0, -2);
  if (word.endsWith("s") && !/(ss|us|is)$/.test(word)) word = word.slice(0, -1);
  var m = /^(.{3,}?)(ing|ed)$/.exec(word);
  if (m) {
    word = m[1];
    if (/([bdfgmnprt])\1$/.test(word)) word = word.slice(0, -1);
  }
  return word;
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

function addTerms(field, text) {
  var f = fold(text);
  var tf = new Map(), len = 0;
  for (var run of runs(f.chars))
    for (var t of terms(run, language, true)) {
      tf.set(t, (tf.get(t) || 0) + 1);
      len++;
    }
  return { len: len, tf: tf, folded: f.chars.join(""), words: wordSequence(f.chars) };
}

/* " 5 year plan " : the Latin words of a text, stemmed, for phrase matches. */
function wordSequence(chars) {
  var list = [];
  for (var run of runs(chars)) list.push(run.kind === "word" ? stem(run.text) : "|");
  return " " + list.join(" ") + " ";
}

function setup(data) {
  language = (data.config && data.config.lang && data.config.lang[0]) || "ja";
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
    section.foldedTitle = fold(section.title);
    section.foldedText = fold(section.text);
  }
  var totals = {};
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

/* ---------------------------------------------------------------- query */

function idf(term) {
  var n = df.get(term) || 0;
  return Math.log(1 + (pages.length - n + 0.5) / (n + 0.5));
}

/* The query: whitespace-separated words, each split into runs and terms the
   same way as the index. Each term may expand to vocabulary words that start
   with it (typing "maint" finds "maintenance"). */
function parse(query) {
  var words = query.trim().split(/[\s\u3000]+/).filter(Boolean);
  var parsed = [];
  for (var w = 0; w < words.length; w++) {
    var f = fold(words[w]);
    var rs = runs(f.chars).filter(function (run) {
      return !(run.kind === "word" && STOP.has(run.text) && words.length > 1);
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
    if (list.length) parsed.push({ word: words[w], folded: rs.map(function (r) { return r.text; }), terms: list, units: units });
  }
  return parsed;
}

function fieldScore(field, name, term) {
  var k1 = 1.2, b = 0.75, best = 0;
  for (var pair of term.variants) {
    var tf = field.tf.get(pair[0]) || 0;
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
function scorePage(page, parsed) {
  var score = 0, covered = 0, total = 0, matched = {};
  for (var word of parsed) {
    var wordCovered = 0, wordTotal = 0, found = new Set();
    for (var term of word.terms) {
      var s = 0;
      for (var name in FIELDS) s += FIELDS[name] * fieldScore(page.fields[name], name, term);
      score += s;
      if (s > 0) found.add(term);
    }
    for (var unit of word.units) {
      var weight = unit.terms.reduce(function (sum, t) { return sum + t.weight; }, 0);
      wordTotal += weight;
      wordCovered += weight * unitCoverage(unit, found);
    }
    var exact = word.folded.every(function (r) {
      return page.fields.title.folded.includes(r) || page.fields.text.folded.includes(r) ||
        page.fields.headings.folded.includes(r) || page.fields.description.folded.includes(r);
    });
    if (exact) {
      wordCovered = wordTotal;
      score += wordTotal * (word.folded.every(function (r) { return page.fields.title.folded.includes(r); }) ? 3 : 1);
    }
    covered += wordCovered;
    total += wordTotal;
    matched[word.word] = wordTotal > 0 && wordCovered / wordTotal >= 0.5;
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
  for (var word of parsed)
    for (var run of word.folded) {
      var cs = Array.from(run);
      if (!CJK.test(cs[0])) {  // Latin: whole words only ("carbon" not inside "decarbonization")
        for (var t of word.terms) for (var v of t.variants) markWords(folded, v[0], marked);
        continue;
      }
      if (mark(run) || cs.length < 3) continue;
      for (var size = cs.length - 1; size >= 2; size--)
        for (var s = 0; s + size <= cs.length; s++) mark(cs.slice(s, s + size).join(""));
    }
  return marked;
}

function markWords(folded, term, marked) {
  for (var run of runs(folded.chars))
    if (run.kind === "word" && stem(run.text) === term)
      for (var j = run.start; j < run.start + Array.from(run.text).length; j++) marked[j] = true;
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
  var title = section.foldedTitle.chars.join(""), text = section.foldedText.chars.join(""), s = 0;
  for (var word of parsed)
    for (var run of word.folded) {
      if (title.includes(run)) s += 3;
      if (text.includes(run)) s += 1;
    }
  return s;
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

addEventListener("message", function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    setup(message.data);
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    var data;
    try {
      data = search(String(message.data || ""));
    } catch (error) {
      console.warn("search failed", error);
      data = { items: [] };
    }
    postMessage({ type: RESULT, data: data });
  }
});
