/* Ahlan proactive rules: fetched by the loader (loader.js) only when the
 * launcher's look carries rules, so the page views of sites without any
 * never download this. ES5, no dependencies, never throws into the host
 * page (the loader's rules on hostile pages hold here too: no Array
 * methods, no regular expression literals). Served minified (xtask build).
 *
 * The loader hands over what this needs on this script's element
 * (document.currentScript.ahlan): the site and fire(), which loads the
 * widget (false when it is already here); this hands back its scheduler, which the loader runs now and
 * with the rules of each new look. A single-page app navigates
 * without a page load: the URL is looked at twice a second and the
 * rules start over on a new one (time on the page counts from there).
 *
 * Kept in the host page's localStorage, never the token: the visitor's
 * visits (ahlan:<site>:visits, and :seen, the last page view's time: a
 * page view 30 minutes or more after the last starts a visit) — counted
 * here, so only on sites with rules: a site's first rule counts from the
 * day it is on — and the day each rule fired (ahlan:<site>:fired:<rule>),
 * so each fires at most once a day per visitor. */
(function (w, d) {
  "use strict";
  // `watch`: the URL check's interval, until the widget is here.
  var loader, rules = [], timers = [], visits = 1, shown = "", watch = null;
  var VISIT_GAP_MS = 30 * 60 * 1000;

  function report(e) {
    try { w.console.error("Ahlan:", e); } catch (x) {}
  }

  // Raw values ("" when storage is refused or holds nothing).
  function recall(name) {
    try { return String(w.localStorage.getItem("ahlan:" + loader.site + ":" + name) || ""); } catch (e) { return ""; }
  }

  function note(name, value) {
    try { w.localStorage.setItem("ahlan:" + loader.site + ":" + name, String(value)); } catch (e) { /* this page view only */ }
  }

  // This page view's place among the visitor's visits.
  function countVisit() {
    var now = new Date().getTime(), count = Number(recall("visits")) || 0, seen = Number(recall("seen")) || 0;
    if (!count || now - seen >= VISIT_GAP_MS) count++;
    note("visits", count);
    note("seen", now);
    return count;
  }

  function today() {
    var t = new Date();
    return t.getFullYear() + "-" + (t.getMonth() + 1) + "-" + t.getDate();
  }

  // The URL rule (shared::proactive::url_matches in the server: the same
  // cases are tested on both sides), case aside.
  function urlMatches(m, url) {
    if (!m || typeof m !== "object") return false;
    var u = String(url).toLowerCase(), v = String(m.value == null ? "" : m.value).toLowerCase();
    if (m.kind === "any") return true;
    if (m.kind === "contains") return u.indexOf(v) >= 0;
    if (m.kind === "equals") return trimSlashes(u) === trimSlashes(v);
    if (m.kind === "glob") return glob(v, u);
    return false;
  }

  function trimSlashes(s) {
    while (s.length && s.charAt(s.length - 1) === "/") s = s.substring(0, s.length - 1);
    return s;
  }

  // `*` is any run of characters; everything else stands for itself.
  function glob(pattern, text) {
    var star = pattern.indexOf("*");
    if (star < 0) return pattern === text;
    var first = pattern.substring(0, star);
    if (text.substring(0, first.length) !== first) return false;
    var at = first.length, rest = pattern.substring(star + 1);
    for (;;) {
      star = rest.indexOf("*");
      if (star < 0) return text.length - rest.length >= at && text.substring(text.length - rest.length) === rest;
      var part = rest.substring(0, star), found = text.indexOf(part, at);
      if (found < 0) return false;
      at = found + part.length;
      rest = rest.substring(star + 1);
    }
  }

  // Starts the timers of the rules this page meets (again after each
  // navigation: time on the page starts over); `list`: new rules.
  function schedule(list) {
    if (list) rules = list;
    shown = String(w.location.href);
    for (var i = 0; i < timers.length; i++) {
      try { w.clearTimeout(timers[i]); } catch (e) { report(e); }
    }
    timers = [];
    // Not during a conversation (the loader keeps this flag).
    if (recall("active") === "1") return;
    var url = shown, day = today();
    for (i = 0; i < rules.length; i++) {
      var r = rules[i];
      if (!r || typeof r.id !== "string" || visits < (Number(r.min_visits) || 1)) continue;
      if (!urlMatches(r.url, url) || recall("fired:" + r.id) === day) continue;
      timers[timers.length] = w.setTimeout(fire(r.id, url), Math.max(0, Number(r.after_secs) || 0) * 1000);
    }
  }

  function fire(id, url) {
    return function () {
      try {
        if (String(w.location.href) !== url || recall("active") === "1") return;
        // Open where there is room; on a phone the launcher says it.
        if (loader.fire(id, w.innerWidth >= 480)) note("fired:" + id, today());
        // The widget is here either way: nothing left to watch for on
        // this page view.
        rules = [];
        schedule();
        w.clearInterval(watch);
      } catch (e) { report(e); }
    };
  }

  try {
    var script = d.currentScript;
    loader = script && script.ahlan;
    if (loader && typeof loader.start === "function") {
      visits = countVisit();
      loader.start(schedule);
      watch = w.setInterval(function () {
        try {
          if (String(w.location.href) !== shown) schedule();
        } catch (e) { report(e); }
      }, 500);
    }
  } catch (e) { report(e); }
})(window, document);
