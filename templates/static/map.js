/* Map page: the theme and year links (which lead to the map narrowed on its own page without JavaScript)
   narrow this page's map and table in place. Each row of the table carries its place's entries by year
   (data-years: a number for each year link, in order) and by theme and year (data-counts: such a list for
   each theme link, in order, separated by semicolons; empty for 0), as site/maps.py's `counts` writes them;
   markers are sized as the build sizes them (`_radius`), and the address becomes that of the page the link
   leads to. */
(function () {
  "use strict";
  var nav = document.querySelector(".map-filter");
  var svg = document.querySelector("figure.map svg");
  if (!nav || !svg) return;
  var base = nav.getAttribute("data-base");
  var most = Number(svg.getAttribute("data-most")) || 1;
  var count = document.getElementById("map-count");
  var none = document.getElementById("map-none");
  var narrowed = document.getElementById("map-narrowed");
  var current = nav.querySelector("[data-theme][aria-current]");
  var theme = current ? current.getAttribute("data-theme") : "";
  current = nav.querySelector("[data-year][aria-current]");
  var year = current ? current.getAttribute("data-year") : "";

  function address(t, y) {
    return base + (t ? "themes/" + t + "/" : "") + (y ? y + "/" : "");
  }

  var themes = [].map.call(nav.querySelectorAll("a[data-theme]:not([data-theme=''])"), function (a) { return a.getAttribute("data-theme"); });
  var years = [].map.call(nav.querySelectorAll("a[data-year]:not([data-year=''])"), function (a) { return a.getAttribute("data-year"); });

  function sum(list, only) {
    return list.split(",").reduce(function (n, count, i) { return n + (only < 0 || i === only ? Number(count) : 0); }, 0);
  }

  function entries(row) {
    if (!theme && !year) return Number(row.getAttribute("data-entries"));
    var only = year ? years.indexOf(year) : -1;
    if (!theme) return sum(row.getAttribute("data-years"), only);
    return sum(row.getAttribute("data-counts").split(";")[themes.indexOf(theme)], only);
  }

  function narrow() {
    var shown = 0;
    document.querySelectorAll(".map-table tr[data-slug]").forEach(function (row) {
      var n = entries(row);
      row.hidden = !n;
      row.querySelector("td").textContent = String(n);
      var marker = svg.querySelector('a.marker[data-slug="' + row.getAttribute("data-slug") + '"]');
      if (marker) {
        if (n) marker.removeAttribute("display"); else marker.setAttribute("display", "none");
        marker.querySelector("circle").setAttribute("r", n ? (2.5 + 9.5 * Math.sqrt(n / most)).toFixed(1) : "0.0");
      }
      if (n) shown += 1;
    });
    if (count) count.textContent = count.getAttribute("data-text").replace("{places}", shown);
    if (none) none.hidden = shown > 0;
    var label = [];
    nav.querySelectorAll("a").forEach(function (link) {
      var t = link.getAttribute("data-theme");
      var y = link.getAttribute("data-year");
      var on = t !== null ? t === theme : y === year;
      if (on) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
      if (on && (t || y)) label.push(link.getAttribute("data-title") || y);
      link.href = t !== null ? address(t, year) : address(theme, y);
    });
    if (narrowed) narrowed.textContent = label.length ? ": " + label.join(", ") : "";
  }

  nav.addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
    event.preventDefault();
    if (link.hasAttribute("data-theme")) theme = link.getAttribute("data-theme"); else year = link.getAttribute("data-year");
    narrow();
    history.replaceState(null, "", address(theme, year));
  });
})();
