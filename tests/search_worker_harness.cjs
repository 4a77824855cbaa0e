// Runs the site's search worker in Node (no browser) for unit tests:
//   node tests/search_worker_harness.cjs < request.json
// request: {"stem": [words]} | {"spelling": [words]} | {"kana": [words]} | {"index": {config, docs}, "queries": [..]}
// Prints the answers as JSON. The worker file is loaded as it is served.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const dir = path.join(__dirname, "..", "overrides", "assets", "javascripts");
const context = vm.createContext({ console, Map, Set, Promise, postMessage() {}, addEventListener() {} });
context.importScripts = (file) => vm.runInContext(fs.readFileSync(path.join(dir, file), "utf8"), context);
vm.runInContext(fs.readFileSync(path.join(dir, "search-worker.js"), "utf8"), context);

const request = JSON.parse(fs.readFileSync(0, "utf8"));
(async () => {
  const out = {};
  if (request.stem) out.stem = request.stem.map((w) => context.stem(w));
  if (request.spelling) out.spelling = request.spelling.map((w) => context.spelling(w));
  if (request.kana) out.kana = request.kana.map((w) => context.toKana(w));
  if (request.index) {
    await context.setup(request.index);  // no IndexedDB in Node: builds
    out.results = request.queries.map((q) => context.search(q).items.map((group) => group[0].location));
  }
  process.stdout.write(JSON.stringify(out));
})();
