/* Pagefind's module API over the search index's bundles (pagefind/, pagefind-1/, ...), for the Default UI:
   the search page points the UI here when the index is split in shards (see dossier/search/index.py).

   A search by relevance, a reader's usual first search, loads Pagefind once, from the first bundle, and merges
   the others into it (Pagefind's mergeIndex): one script, one worker and one WebAssembly module for all
   bundles, and results ranked by score across them.

   A search ordered by date (the search page says so in data-sorted) cannot go that way: a sorted search
   scores a page by its position in its own bundle's order, so mergeIndex would interleave the bundles'
   results out of date order. It loads each bundle's own copy of Pagefind instead, each in a worker of its
   own (instances in one worker that each load their WebAssembly overwrite each other's: memory access out
   of bounds), and orders the results by the sort values themselves, looked up in the table search/index.py
   writes beside the first bundle (sorts.json: for each sort and bundle, its pages' values in ascending order). */
const app = document.getElementById("search-app");
const base = app.getAttribute("data-base");
const names = app.getAttribute("data-bundles").split(" ");
const sorted = app.hasAttribute("data-sorted");
let settings = {};
let started = null;
let table = null;

// The bundles to search: one merged Pagefind, or each bundle's own (sorted searches).
function instances() {
  if (!started) started = sorted ? Promise.all(names.map(ready)) : merged();
  return started;
}

async function merged() {
  const pagefind = await ready(names[0]);
  await Promise.all(names.slice(1).map(function (name) { return pagefind.mergeIndex(base + name + "/", settings); }));
  await pagefind.filters();  // the merged bundles' filter indexes, as in ready()
  return [pagefind];
}

async function ready(name) {
  const pagefind = await import(base + name + "/pagefind.js");
  await pagefind.options({ ...settings, basePath: base + name + "/" });
  // A search counts filter values only once the filter index is loaded: load it before any search.
  await pagefind.filters();
  return pagefind;
}

async function each(call) {
  return Promise.all((await instances()).map(call));
}

function sumCounts(parts) {
  const merged = {};
  parts.forEach(function (filters) {
    Object.entries(filters || {}).forEach(function ([name, values]) {
      const into = (merged[name] = merged[name] || {});
      Object.entries(values).forEach(function ([value, count]) { into[value] = (into[value] || 0) + count; });
    });
  });
  return merged;
}

async function sortValues(name) {
  table = table || fetch(base + names[0] + "/sorts.json").then(function (response) { return response.json(); });
  return (await table)[name];
}

export async function options(given) {
  const { basePath, bundlePath, ...rest } = given || {};
  settings = { ...settings, ...rest };
  if (started) await each(function (one) { return one.options(rest); });
}

export async function init() {
  await each(function (one) { return one.init(); });
}

export async function mergeIndex() {
  // every bundle is merged already
}

export async function destroy() {
  if (started) await each(function (one) { return one.destroy(); });
  started = null;
}

export async function preload(term, given) {
  await each(function (one) { return one.preload(term, given); });
}

export async function filters() {
  return sumCounts(await each(function (one) { return one.filters(); }));
}

export async function search(term, given) {
  const parts = await each(function (one) { return one.search(term, given || {}); });
  const sort = given && given.sort ? Object.keys(given.sort)[0] : null;
  let results;
  if (sort && sorted) {
    // A sorted search scores a page by its index in its bundle's order (negated for ascending order).
    const values = await sortValues(sort);
    const ascending = given.sort[sort] === "asc";
    const keyed = parts.flatMap(function (part, bundle) {
      return part.results.map(function (result) { return [values[bundle][Math.abs(result.score)], result]; });
    });
    keyed.sort(function (a, b) {
      const order = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
      return ascending ? order : -order;
    });
    results = keyed.map(function (pair) { return pair[1]; });
  } else {
    results = parts.flatMap(function (part) { return part.results; }).sort(function (a, b) { return b.score - a.score; });
  }
  return {
    results: results,
    unfilteredResultCount: parts.reduce(function (sum, part) { return sum + part.unfilteredResultCount; }, 0),
    filters: sumCounts(parts.map(function (part) { return part.filters; })),
    totalFilters: sumCounts(parts.map(function (part) { return part.totalFilters; })),
    timings: parts.map(function (part) { return part.timings; }),
  };
}

let latest = 0;
export async function debouncedSearch(term, given, wait) {
  const mine = ++latest;
  await new Promise(function (resolve) { setTimeout(resolve, wait === undefined ? 300 : wait); });
  if (mine !== latest) return null;
  const found = await search(term, given);
  return mine === latest ? found : null;
}
