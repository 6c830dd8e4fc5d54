/* Previews: pointing at or tabbing to a link to an entry or an entity shows its title, source, date, status and
   summary beside the link, from the small preview.json next to that page (fetched once). Escape closes it.
   Without JavaScript there is nothing to show: the links work as they are. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var base = new URL(script.src.replace(/static\/preview\.js.*$/, ""), location.href).pathname;
  var pattern = new RegExp("^" + base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "(entries|entities)/[a-z0-9-]+/$");
  var loaded = {};
  var tip = null;
  var current = null;
  var timer = null;

  function source(link) {
    if (!link.href || link.closest("#dossier-preview")) return null;
    var url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.hash || url.pathname === location.pathname) return null;
    return pattern.test(url.pathname) ? url.pathname + "preview.json" : null;
  }

  function load(url) {
    if (!loaded[url]) {
      loaded[url] = fetch(url).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
    }
    return loaded[url];
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function show(link, data) {
    if (!data || current !== link) return;
    hide(true);
    current = link;
    tip = element("div", "preview");
    tip.id = "dossier-preview";
    tip.setAttribute("role", "tooltip");
    tip.lang = data.lang;
    tip.dir = data.dir;
    tip.appendChild(element("p", "preview-title", data.title));
    var meta = element("p", "preview-meta", data.meta);
    if (data.status) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(element("span", "status status-" + data.status, data.status_label));
    }
    tip.appendChild(meta);
    if (data.text) tip.appendChild(element("p", "preview-text", data.text));
    document.body.appendChild(tip);
    link.setAttribute("aria-describedby", "dossier-preview");
    var box = link.getBoundingClientRect();
    var width = tip.offsetWidth;
    var left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
    tip.style.left = (left + window.scrollX) + "px";
    tip.style.top = (box.bottom + window.scrollY + 6) + "px";
  }

  function hide(keep) {
    clearTimeout(timer);
    if (tip) tip.remove();
    tip = null;
    if (current) current.removeAttribute("aria-describedby");
    if (!keep) current = null;
  }

  function open(link, delay) {
    var url = source(link);
    if (!url) return;
    clearTimeout(timer);
    current = link;
    timer = setTimeout(function () { load(url).then(function (data) { show(link, data); }); }, delay);
  }

  document.addEventListener("mouseover", function (event) {
    var link = event.target.closest && event.target.closest("a");
    if (link && link !== current) open(link, 250);
  });
  document.addEventListener("mouseout", function (event) {
    var link = event.target.closest && event.target.closest("a");
    if (link && link === current && !link.contains(event.relatedTarget)) hide();
  });
  document.addEventListener("focusin", function (event) {
    var link = event.target.closest && event.target.closest("a");
    if (link) open(link, 0); else hide();
  });
  document.addEventListener("focusout", function () { hide(); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && tip) hide();
  });
}());
