/* Timeline page: turns the theme links (which lead to each theme's timeline without JavaScript)
   into toggle buttons that narrow this page's events instantly; the choice stays in the URL
   (?theme=slug). Years and months left without events are hidden with them. */
(function () {
  "use strict";
  var nav = document.querySelector(".timeline-themes");
  var root = document.getElementById("timeline");
  if (!nav || !root) return;
  var counter = document.getElementById("timeline-count");
  var shownText = nav.getAttribute("data-shown") || "{shown} / {total}";
  var list = nav.querySelector("ul");
  var buttons = [];

  function button(label, theme, className) {
    var item = document.createElement("li");
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = label;
    b.setAttribute("data-theme", theme);
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", function () { choose(theme, true); });
    item.appendChild(b);
    buttons.push(b);
    return item;
  }

  function choose(theme, remember) {
    var shown = 0;
    var total = 0;
    root.querySelectorAll("li.event").forEach(function (event) {
      var themes = (event.getAttribute("data-themes") || "").split(" ");
      var visible = !theme || themes.indexOf(theme) >= 0;
      event.hidden = !visible;
      total += 1;
      if (visible) shown += 1;
    });
    root.querySelectorAll(".timeline-month, .timeline-year").forEach(function (group) {
      group.hidden = !group.querySelector("li.event:not([hidden])");
    });
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-theme") === theme));
    });
    if (counter) {
      counter.textContent = theme ? shownText.replace("{shown}", shown).replace("{total}", total) : counter.getAttribute("data-label");
    }
    if (remember) {
      var url = new URL(location.href);
      if (theme) url.searchParams.set("theme", theme); else url.searchParams.delete("theme");
      history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
  }

  if (counter) counter.setAttribute("data-label", counter.textContent);
  var links = Array.prototype.slice.call(list.querySelectorAll("a[data-theme]"));
  var fresh = document.createElement("ul");
  fresh.className = list.className;
  fresh.appendChild(button(nav.getAttribute("data-all") || "All", "", "theme-toggle"));
  links.forEach(function (link) {
    fresh.appendChild(button(link.textContent, link.getAttribute("data-theme"), link.className + " theme-toggle"));
  });
  list.replaceWith(fresh);
  var wanted = new URLSearchParams(location.search).get("theme") || "";
  var known = links.some(function (link) { return link.getAttribute("data-theme") === wanted; });
  choose(known ? wanted : "", false);
})();
