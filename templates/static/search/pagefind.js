/* The search page's Pagefind: the module the Default UI loads (its bundlePath points here), in front of the
   index's bundles (pagefind/, and pagefind-1/, ... where the index is split in shards, dossier/search/index.py).

   It shows at most MOST_VALUES values of each filter: those of the most entries in the whole dossier, and
   any the reader has chosen. A dossier of 10,000 entries names some 700 people and places and 300 tags; every
   one of them as a checkbox made the search page 2,500 elements, most of its work on a phone. A reader finds
   a rarer one by searching for its name, which every entry naming it is indexed with.

   A search by relevance, a reader's usual first search, loads Pagefind once, from the first bundle, and merges
   the others into it (Pagefind's mergeIndex): one script, one worker and one WebAssembly module for all
   bundles, and results ranked by score across them.

   A search ordered by date over several bundles (the search page says so in data-sorted) cannot go that way:
   a sorted search scores a page by its position in its own bundle's order, so mergeIndex would interleave the
   bundles' results out of date order. It loads each bundle's own copy of Pagefind instead, each in a worker of
   its own (instances in one worker that each load their WebAssembly overwrite each other's: memory access out
   of bounds), and orders the results by the sort values themselves, looked up in the table search/index.py
   writes beside the first bundle (sorts.json: for each sort and bundle, its pages' values in ascending order). */
const app = document.getElementById("search-app");
const base = app.getAttribute("data-base");
const names = app.getAttribute("data-bundles").split(" ");
const sorted = names.length > 1 && app.hasAttribute("data-sorted");
const MOST_VALUES = 30;
let shown = null;
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

// Each filter's values to show: the MOST_VALUES of the most entries, found from the counts over every entry.
function pickShown(counts) {
  shown = {};
  Object.entries(counts).forEach(function ([name, values]) {
    const most = Object.entries(values).sort(function (a, b) { return b[1] - a[1]; }).slice(0, MOST_VALUES);
    shown[name] = new Set(most.map(function (pair) { return pair[0]; }));
  });
}

// Only the values shown and those chosen, in Pagefind's order.
function trimmed(counts, chosen) {
  const kept = {};
  Object.entries(counts).forEach(function ([name, values]) {
    const wanted = [].concat((chosen && chosen[name]) || []);
    kept[name] = Object.fromEntries(Object.entries(values).filter(function ([value]) {
      return !shown || !shown[name] || shown[name].has(value) || wanted.includes(value);
    }));
  });
  return kept;
}

export async function filters() {
  const counts = sumCounts(await each(function (one) { return one.filters(); }));
  if (!shown) pickShown(counts);
  return trimmed(counts);
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
    // One Pagefind orders its results itself: by score across merged bundles, or by the sort.
    results = parts.length === 1 ? parts[0].results : parts.flatMap(function (part) { return part.results; }).sort(function (a, b) { return b.score - a.score; });
  }
  return {
    results: results,
    unfilteredResultCount: parts.reduce(function (sum, part) { return sum + part.unfilteredResultCount; }, 0),
    filters: trimmed(sumCounts(parts.map(function (part) { return part.filters; })), given && given.filters),
    totalFilters: trimmed(sumCounts(parts.map(function (part) { return part.totalFilters; })), given && given.filters),
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
