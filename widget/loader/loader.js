/* Ahlan loader: the embed snippet's script. Adds the chat iframe and defines
 * the page API (open, close, on "ready"|"message"|"unread"), and tells the
 * widget which page the visitor is on (for the agent), nothing else.
 * ES5, no dependencies, never throws into the host page.
 * Contract: docs/ARCHITECTURE.md, "Loader <-> iframe".
 *
 * It runs on pages we do not control, whose CSS and scripts were written
 * with no thought of us (see the hostile pages of e2e/tests/browser/hostile.rs):
 * - The iframe lives in the shadow root of an <ahlan-chat> element, so no
 *   selector of the page (iframe, div, *) reaches it, and neither do
 *   MutationObservers that rewrite or remove third-party iframes. The host
 *   element is display: contents, so what the page's rules give it (size,
 *   border, transform, opacity) has no box to act on; the few properties
 *   that inherit are set on the iframe itself.
 * - Every style is inline and !important: that beats any stylesheet rule,
 *   !important included, and needs no <style> a strict CSP would block.
 * - The iframe is a manual popover, shown in the top layer where browsers
 *   have it: above everything of the page whatever its z-index, and free
 *   of its ancestors' transforms and filters. Elsewhere the same styles
 *   put it fixed at the maximum z-index.
 * - Built-ins are taken from their prototypes when this script runs:
 *   pages wrap or break the copies they can reach (window.addEventListener,
 *   Element.prototype.appendChild, document.createElement), before or after
 *   we run. No Array methods or for-in either, for the same reason.
 * - window.Ahlan is not overwritten when the page already uses that name:
 *   the API is then window.AhlanChat (README, "Embed the widget"). */
(function (w, d) {
  "use strict";
  // The built-ins used, from their prototypes (set first thing below).
  var listen, append, create, byTag, getAttr, setAttr, attachShadow, showPopover, setStyle;
  var site, locale, origin, frame, ready = false, side = "right", open = false;
  var queued = [], listeners = { ready: [], message: [], unread: [] };

  function report(e) {
    try { w.console.error("Ahlan:", e); } catch (x) {}
  }

  function findScript() {
    var s = byTag.call(d, "script");
    for (var i = s.length - 1; i >= 0; i--) {
      if (getAttr.call(s[i], "data-site") && /\/widget\/loader\.js([?#]|$)/.test(s[i].src)) return s[i];
    }
  }

  // styles: [name, value, name, value, ...], each set inline with !important.
  function css(el, styles) {
    for (var i = 0; i < styles.length; i += 2) setStyle.call(el.style, styles[i], styles[i + 1], "important");
  }

  function layout() {
    if (!frame) return;
    var vw = w.innerWidth, vh = w.innerHeight, other = side === "left" ? "right" : "left";
    css(frame, [
      // Hidden until ready: a server that is down or refuses the page shows nothing.
      "visibility", ready ? "visible" : "hidden",
      "top", "auto", "bottom", "0", other, "auto", side, "0",
      "border-radius", "0", "box-shadow", "none"
    ]);
    if (!open) {
      css(frame, ["width", "88px", "height", "88px"]);
    } else if (vw < 480) {
      css(frame, ["top", "0", other, "0", "width", "100%", "height", "100%"]);
    } else {
      // The panel fills the iframe; the rounding and shadow are the iframe's.
      css(frame, ["bottom", "10px", side, "10px",
        "width", Math.min(400, vw - 20) + "px",
        "height", Math.max(0, Math.min(640, vh - 20)) + "px",
        "border-radius", "16px", "box-shadow", "0 12px 48px rgba(15,23,42,.22)"]);
    }
  }

  function post(kind) {
    // contentWindow is cross-origin: its postMessage is the browser's own,
    // whatever the page did to window.postMessage.
    try { frame.contentWindow.postMessage({ ahlan: kind }, origin); } catch (e) { report(e); }
  }

  // The page the visitor is on, for the agent's context panel: told when
  // the widget is ready and after each navigation of a single-page app
  // (pushState, replaceState, popstate, hashchange), once per change.
  var lastPage = "";
  function page() {
    try {
      if (!ready) return;
      var now = String(w.location.href), title = String(d.title || "");
      if (now + "\n" + title === lastPage) return;
      lastPage = now + "\n" + title;
      frame.contentWindow.postMessage({ ahlan: "page", url: now, title: title,
        referrer: String(d.referrer || "") }, origin);
    } catch (e) { report(e); }
  }

  function pageSoon() {
    // After the app has had a moment to set the new page's title.
    try { w.setTimeout(page, 300); } catch (e) { report(e); }
  }

  function watchNavigation() {
    var H = w.History && w.History.prototype;
    var wrap = function (name) {
      var original = H && H[name];
      if (typeof original !== "function") return;
      H[name] = function () {
        var result = original.apply(this, arguments);
        pageSoon();
        return result;
      };
    };
    wrap("pushState");
    wrap("replaceState");
    listen.call(w, "popstate", pageSoon, false);
    listen.call(w, "hashchange", pageSoon, false);
  }

  function command(kind) {
    if (ready) post(kind); else queued[queued.length] = kind;
  }

  function emit(name, arg) {
    var fns = listeners[name], copy = [];
    for (var i = 0; i < fns.length; i++) copy[i] = fns[i];
    for (i = 0; i < copy.length; i++) {
      try { copy[i](arg); } catch (e) { report(e); }
    }
  }

  function onMessage(e) {
    try {
      var m = e.data;
      if (!frame || e.origin !== origin || e.source !== frame.contentWindow || !m || typeof m !== "object") return;
      if (m.ahlan === "ready") {
        // Also after the iframe reloads: the widget starts closed again.
        ready = true;
        open = false;
        // The site's side, already mirrored for RTL by the widget; older
        // widgets only said their direction.
        side = m.side === "left" || m.side === "right" ? m.side : (m.dir === "rtl" ? "left" : "right");
        layout();
        var q = queued;
        queued = [];
        for (var i = 0; i < q.length; i++) post(q[i]);
        lastPage = "";
        page();
        emit("ready");
      } else if (m.ahlan === "resize") {
        open = m.open === true;
        layout();
      } else if (m.ahlan === "unread") {
        emit("unread", Number(m.count) || 0);
      } else if (m.ahlan === "message") {
        emit("message", { body: String(m.body), from: String(m.from) });
      }
    } catch (x) { report(x); }
  }

  function start() {
    try {
      if (frame) return;
      var loc = w.location;
      var box = create.call(d, "ahlan-chat"), root = box;
      css(box, ["display", "contents"]);
      try { root = attachShadow.call(box, { mode: "open" }); } catch (e) { /* old browser: light DOM */ }
      frame = create.call(d, "iframe");
      frame.title = "Chat";
      frame.src = origin + "/widget/frame?site=" + encodeURIComponent(site) +
        "&origin=" + encodeURIComponent(loc.origin || loc.protocol + "//" + loc.host) +
        (locale ? "&locale=" + encodeURIComponent(locale) : "");
      setAttr.call(frame, "popover", "manual");
      // Everything else at its initial value first: nothing inherited from
      // the page (pointer-events, visibility) and none of a popover's own
      // styles survive. Then what the iframe needs.
      css(frame, ["all", "initial", "display", "block", "position", "fixed", "border", "0",
        "margin", "0", "padding", "0", "background", "transparent",
        "max-width", "100%", "max-height", "100%", "z-index", "2147483647",
        // Must match the widget's, or browsers paint the iframe opaque.
        "color-scheme", "light"]);
      layout();
      // Outside <body>: pages restyle, transform and replace the body.
      append.call(root, frame);
      append.call(d.documentElement, box);
      if (showPopover) {
        try { showPopover.call(frame); } catch (e) { /* fixed at the maximum z-index will do */ }
      }
    } catch (e) { report(e); }
  }

  var api = {
    open: function () { command("open"); },
    close: function () { command("close"); },
    on: function (name, fn) {
      var fns = listeners[name === "ready" || name === "message" || name === "unread" ? name : ""];
      if (fns && typeof fn === "function") {
        fns[fns.length] = fn;
        if (name === "ready" && ready) {
          try { fn(); } catch (e) { report(e); }
        }
      }
      return api;
    },
    _ahlan: 1
  };

  // What the snippet's page may already hold under a name: nothing, a stub
  // queueing calls ({q: [["on", "message", fn], ["open"]]}), us, or its own.
  function holder(name) {
    var v = w[name];
    if (v == null) return "free";
    if (v._ahlan) return "us";
    return Object.prototype.toString.call(v.q) === "[object Array]" ? "stub" : "page";
  }

  function warn(text) {
    try { w.console.warn("Ahlan: " + text); } catch (x) {}
  }

  try {
    listen = w.EventTarget.prototype.addEventListener;
    append = w.Node.prototype.appendChild;
    create = w.Document.prototype.createElement;
    byTag = w.Document.prototype.getElementsByTagName;
    getAttr = w.Element.prototype.getAttribute;
    setAttr = w.Element.prototype.setAttribute;
    attachShadow = w.Element.prototype.attachShadow;
    showPopover = w.HTMLElement.prototype.showPopover;
    setStyle = w.CSSStyleDeclaration.prototype.setProperty;

    var name = "Ahlan", held = holder(name);
    if (held === "us" || holder("AhlanChat") === "us") return; // the snippet twice: the first copy rules
    var script = d.currentScript || findScript();
    site = script && getAttr.call(script, "data-site");
    if (!site) return;
    locale = getAttr.call(script, "data-locale");
    var a = create.call(d, "a");
    a.href = script.src;
    origin = a.protocol + "//" + a.host;
    if (held === "page") {
      name = "AhlanChat";
      held = holder(name);
      if (held === "page") {
        name = null;
        warn("window.Ahlan and window.AhlanChat are both used by this page. The chat works; " +
          "its API is the `ahlan` property of the snippet's script element.");
      } else {
        warn("window.Ahlan is used by this page and was left alone. The chat works; " +
          "its API is window.AhlanChat.");
      }
    }
    var calls = held === "stub" ? w[name].q : [];
    if (name) w[name] = api;
    script.ahlan = api;
    for (var i = 0; i < calls.length; i++) {
      var c = calls[i];
      if (c[0] === "open") api.open();
      else if (c[0] === "close") api.close();
      else if (c[0] === "on") api.on(c[1], c[2]);
    }
    listen.call(w, "message", onMessage, false);
    watchNavigation();
    listen.call(w, "resize", function () {
      try { if (open) layout(); } catch (e) { report(e); }
    }, false);
    if (d.readyState === "complete") start(); else listen.call(w, "load", start, false);
  } catch (e) { report(e); }
})(window, document);
