/* Search page: mounts Pagefind's Default UI, adds ordering by date, and keeps query, order and
   filters in the URL (/search/?q=...&sort=newest&f=Thema:...) so a search can be linked.
   A new order reloads the page from that URL: tearing down and re-mounting the UI in place
   terminates Pagefind's shared worker under a running search. */
(function () {
  "use strict";
  var app = document.getElementById("search-app");
  if (!app || typeof window.PagefindUI !== "function") return;
  var fallback = document.getElementById("search-fallback");
  var select = document.getElementById("search-sort");
  var base = app.getAttribute("data-base");
  // The UI loads static/search/pagefind.js, which searches the index's bundles (pagefind/, pagefind-1/, ...)
  // as one and keeps the filters short.
  var bundlePath = base + "static/search/";
  var openFilters = (app.getAttribute("data-filters") || "").split("|");
  var SORTS = { newest: { date: "desc" }, oldest: { date: "asc" } };

  app.hidden = false;
  if (fallback) fallback.hidden = true;

  // Results and filters arrive separately; showing them together keeps the page from jumping (layout shift).
  app.classList.add("search-waiting");
  var shown = false;
  function show() {
    if (shown) return;
    shown = true;
    watcher.disconnect();
    app.classList.remove("search-waiting");
  }
  var watcher = new MutationObserver(function () {
    if (app.querySelector(".pagefind-ui__filter-block")) show();
  });
  watcher.observe(app, { childList: true, subtree: true });
  setTimeout(show, 2000);
  // On a phone the filters start closed, so the results come first.
  var wide = !window.matchMedia || window.matchMedia("(min-width: 48em)").matches;

  function input() { return app.querySelector(".pagefind-ui__search-input"); }

  function checkedFilters() {
    var filters = {};
    app.querySelectorAll(".pagefind-ui__filter-checkbox:checked").forEach(function (box) {
      (filters[box.name] = filters[box.name] || []).push(box.value);
    });
    return filters;
  }

  function currentUrl() {
    var params = new URLSearchParams();
    var field = input();
    if (field && field.value) params.set("q", field.value);
    if (select.value) params.set("sort", select.value);
    var filters = checkedFilters();
    Object.keys(filters).forEach(function (name) {
      filters[name].forEach(function (value) { params.append("f", name + ":" + value); });
    });
    var query = params.toString();
    return location.pathname + (query ? "?" + query : "");
  }

  function mount(term, filters) {
    // static/search/pagefind.js merges the bundles into one Pagefind unless the results are ordered by date.
    if (SORTS[select.value]) app.setAttribute("data-sorted", "");
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: bundlePath,
      baseUrl: base,
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      openFilters: wide ? openFilters : [],
      autofocus: !term,
      sort: SORTS[select.value] || null
    });
    // Pagefind labels its field only with a title; give it a proper accessible name (axe: label-title-only).
    var field = input();
    if (field) field.setAttribute("aria-label", app.getAttribute("data-label") || field.title);
    if (term) ui.triggerSearch(term);
    if (filters && Object.keys(filters).length) ui.triggerFilters(filters);
    // Pagefind's filter index, which counts the values among the results, loads once the filters can be seen:
    // at once on a wide screen, on a phone when a filter is first opened. A search made before runs again to count.
    function countFilters() {
      import(bundlePath + "pagefind.js")
        .then(function (pagefind) { return pagefind.loadFilters(); })
        .then(function (stale) { if (stale && input() && input().value) ui.triggerFilters(checkedFilters()); });
    }
    if (wide) {
      countFilters();
    } else {
      app.addEventListener("toggle", function opened(event) {
        if (!event.target.open || !event.target.classList.contains("pagefind-ui__filter-block")) return;
        app.removeEventListener("toggle", opened, true);
        countFilters();
      }, true);
    }
  }

  var params = new URLSearchParams(location.search);
  var fromUrl = {};
  params.getAll("f").forEach(function (pair) {
    var cut = pair.indexOf(":");
    if (cut > 0) (fromUrl[pair.slice(0, cut)] = fromUrl[pair.slice(0, cut)] || []).push(pair.slice(cut + 1));
  });
  if (SORTS[params.get("sort")]) select.value = params.get("sort");
  mount(params.get("q") || "", fromUrl);

  app.addEventListener("input", function (event) {
    if (event.target.classList.contains("pagefind-ui__search-input")) history.replaceState(null, "", currentUrl());
  });
  app.addEventListener("change", function (event) {
    if (event.target === select) location.assign(currentUrl());
    else history.replaceState(null, "", currentUrl());
  });
})();
