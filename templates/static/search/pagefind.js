/* The search page's Pagefind: the module the Default UI loads (its bundlePath points here), in front of the
   index's bundles (pagefind/, and pagefind-1/, ... where the index is split in shards, dossier/search/index.py).

   Filters: the search page lists each filter's commonest values (and any a reader chose), with the numbers of
   entries the build counted (filters.json beside the first bundle). Pagefind's filter index, which it needs to
   count the values among a search's results, is loaded only when a reader can see the filters: at once on a
   wide screen, on a phone when a filter is first opened (loadFilters, from static/search.js). At 100,000
   entries that index is 2.3 MB, more than the rest of a first search.

   A search by relevance, a reader's usual first search, loads Pagefind once, from the first bundle, and merges
   the others into it (Pagefind's mergeIndex): one script, one worker and one WebAssembly module for all
   bundles, and results ranked by score across them.

   A search ordered by date over several bundles (the search page says so in data-sorted) cannot go that way:
   a sorted search scores a page by its position in its own bundle's order, so mergeIndex would interleave the
   bundles' results out of date order. It loads each bundle's own copy of Pagefind instead, each in a worker of
   its own (instances in one worker that each load their WebAssembly overwrite each other's: memory access out
   of bounds), and orders the results by the sort values themselves (sorts.json beside the first bundle: for each
   sort and bundle, its pages' values in ascending order). */
const app = document.getElementById("search-app");
const base = app.getAttribute("data-base");
const names = app.getAttribute("data-bundles").split(" ");
const sorted = names.length > 1 && app.hasAttribute("data-sorted");
let settings = {};
let started = null;
let counted = null;
let table = null;
let filtersLoaded = null;
let uncounted = false;
let configure;
const configured = new Promise(function (resolve) { configure = resolve; });  // the UI gave its options

// The bundles to search: one merged Pagefind, or each bundle's own (sorted searches).
function instances() {
  if (!started) started = sorted ? Promise.all(names.map(ready)) : merged();
  return started;
}

async function merged() {
  const pagefind = await ready(names[0]);
  await Promise.all(names.slice(1).map(function (name) { return pagefind.mergeIndex(base + name + "/", settings); }));
  return [pagefind];
}

async function ready(name) {
  const pagefind = await import(base + name + "/pagefind.js");
  await pagefind.options({ ...settings, basePath: base + name + "/" });
  return pagefind;
}

async function each(call) {
  return Promise.all((await instances()).map(call));
}

function commonest() {
  counted = counted || fetch(base + names[0] + "/filters.json").then(function (response) { return response.json(); });
  return counted;
}

async function sortValues(name) {
  table = table || fetch(base + names[0] + "/sorts.json").then(function (response) { return response.json(); });
  return (await table)[name];
}

// Load Pagefind's filter index: searches count filter values among their results only once it is loaded.
// Resolves to whether a search ran without it (its counts are not the results' own).
export function loadFilters() {
  filtersLoaded = filtersLoaded || configured.then(function () { return each(function (one) { return one.filters(); }); });
  return filtersLoaded.then(function () {
    const stale = uncounted;
    uncounted = false;
    return stale;
  });
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

// Only the values filters.json lists and those chosen, in Pagefind's order.
async function trimmed(counts, chosen) {
  const shown = await commonest();
  const kept = {};
  Object.entries(counts).forEach(function ([name, values]) {
    const wanted = [].concat((chosen && chosen[name]) || []);
    kept[name] = Object.fromEntries(Object.entries(values).filter(function ([value]) {
      return (shown[name] && value in shown[name]) || wanted.includes(value);
    }));
  });
  return kept;
}

function chose(given) {
  return Object.values((given && given.filters) || {}).some(function (values) { return [].concat(values).length; });
}

export async function options(given) {
  const { basePath, bundlePath, ...rest } = given || {};
  settings = { ...settings, ...rest };
  if (started) await each(function (one) { return one.options(rest); });
  configure();
}

export async function init() {
  await each(function (one) { return one.init(); });
}

export async function mergeIndex() {
  // every bundle is merged already
}

export async function destroy() {
  if (started) await each(function (one) { return one.destroy(); });
  started = filtersLoaded = null;
}

export async function preload(term, given) {
  await each(function (one) { return one.preload(term, given); });
}

export async function filters() {
  return JSON.parse(JSON.stringify(await commonest()));
}

export async function search(term, given) {
  // Never search while the filter index loads: a search beside it in Pagefind's worker can stall.
  if (chose(given) || filtersLoaded) await loadFilters();
  else uncounted = true;
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
  // Without the filter index the counts are empty, and the search page keeps showing the last ones.
  const chosen = given && given.filters;
  return {
    results: results,
    unfilteredResultCount: parts.reduce(function (sum, part) { return sum + part.unfilteredResultCount; }, 0),
    filters: await trimmed(sumCounts(parts.map(function (part) { return part.filters; })), chosen),
    totalFilters: await trimmed(sumCounts(parts.map(function (part) { return part.totalFilters; })), chosen),
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
