/* Ahlan loader: the embed snippet's script. Adds the chat iframe and defines
 * window.Ahlan (open, close, on "ready"|"message"|"unread"), nothing else.
 * ES5, no dependencies, never throws into the host page.
 * Contract: docs/ARCHITECTURE.md, "Loader <-> iframe". */
(function (w, d) {
  "use strict";
  var site, locale, origin, frame, ready = false, side = "right", open = false;
  var queued = [], listeners = {};

  function report(e) {
    try { w.console.error("Ahlan:", e); } catch (x) {}
  }

  function findScript() {
    var s = d.getElementsByTagName("script");
    for (var i = s.length - 1; i >= 0; i--) {
      if (s[i].getAttribute("data-site") && /\/widget\/loader\.js([?#]|$)/.test(s[i].src)) return s[i];
    }
  }

  function layout() {
    if (!frame) return;
    var vw = w.innerWidth, vh = w.innerHeight;
    var r = {
      position: "fixed", border: "0", margin: "0", padding: "0", background: "transparent",
      // Must match the widget's, or browsers paint the iframe opaque.
      "color-scheme": "light", "z-index": "2147483647", "max-width": "100%",
      top: "auto", bottom: "0", left: "auto", right: "auto", "border-radius": "0", "box-shadow": "none",
      // Hidden until ready: a server that is down or refuses the page shows nothing.
      visibility: ready ? "visible" : "hidden"
    };
    r[side] = "0";
    if (!open) {
      r.width = r.height = "88px";
    } else if (vw < 480) {
      r.top = r.left = r.right = "0";
      r.width = r.height = "100%";
    } else {
      // The panel fills the iframe; the rounding and shadow are the iframe's.
      r.bottom = r[side] = "10px";
      r.width = Math.min(400, vw - 20) + "px";
      r.height = Math.max(0, Math.min(640, vh - 20)) + "px";
      r["border-radius"] = "16px";
      r["box-shadow"] = "0 12px 48px rgba(15,23,42,.22)";
    }
    var css = "";
    // !important: host stylesheets often style every iframe.
    for (var k in r) if (r.hasOwnProperty(k)) css += k + ":" + r[k] + "!important;";
    frame.style.cssText = css;
  }

  function post(kind) {
    try { frame.contentWindow.postMessage({ ahlan: kind }, origin); } catch (e) { report(e); }
  }

  function command(kind) {
    if (ready) post(kind); else queued.push(kind);
  }

  function emit(name, arg) {
    var fns = (listeners[name] || []).slice();
    for (var i = 0; i < fns.length; i++) {
      try { fns[i](arg); } catch (e) { report(e); }
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
      frame = d.createElement("iframe");
      frame.id = "ahlan-frame";
      frame.title = "Chat";
      frame.src = origin + "/widget/frame?site=" + encodeURIComponent(site) +
        "&origin=" + encodeURIComponent(loc.origin || loc.protocol + "//" + loc.host) +
        (locale ? "&locale=" + encodeURIComponent(locale) : "");
      layout();
      (d.body || d.documentElement).appendChild(frame);
    } catch (e) { report(e); }
  }

  var api = {
    open: function () { command("open"); },
    close: function () { command("close"); },
    on: function (name, fn) {
      if (typeof fn === "function") {
        (listeners[name] = listeners[name] || []).push(fn);
        if (name === "ready" && ready) {
          try { fn(); } catch (e) { report(e); }
        }
      }
      return api;
    },
    _ahlan: 1
  };

  try {
    var prior = w.Ahlan;
    if (prior && prior._ahlan) return; // the snippet twice: the first copy rules
    var script = d.currentScript || findScript();
    site = script && script.getAttribute("data-site");
    if (!site) return;
    locale = script.getAttribute("data-locale");
    var a = d.createElement("a");
    a.href = script.src;
    origin = a.protocol + "//" + a.host;
    w.Ahlan = api;
    // Calls queued by a stub (window.Ahlan = {q: []}, entries like ["on", "message", fn]).
    var calls = (prior && prior.q) || [];
    for (var i = 0; i < calls.length; i++) {
      var args = Array.prototype.slice.call(calls[i]), name = args.shift();
      if (name === "open" || name === "close" || name === "on") api[name].apply(api, args);
    }
    w.addEventListener("message", onMessage, false);
    w.addEventListener("resize", function () {
      try { if (open) layout(); } catch (e) { report(e); }
    }, false);
    if (d.readyState === "complete") start(); else w.addEventListener("load", start, false);
  } catch (e) { report(e); }
})(window, document);
