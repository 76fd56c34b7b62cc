/* Ahlan loader: the embed snippet's script, and the page API (docs/SDK.md).
 * ES5, no dependencies, never throws into the host page. Served minified
 * (xtask build); this is the source. Contract: docs/ARCHITECTURE.md,
 * "Loader <-> iframe".
 *
 * A page view costs almost nothing: the loader asks the server for the
 * launcher's look (a small cacheable JSON) and draws the button itself.
 * The chat itself (an iframe running the wasm widget, with its websocket)
 * is loaded only when needed:
 * - the visitor clicks the button (it then starts open), or points at it
 *   or focuses it (a preload: the click then feels instant);
 * - the page calls Ahlan.open() / toggle();
 * - the visitor has an ongoing conversation, so the unread badge and
 *   on("message") work without a click: the widget says when one starts
 *   and ends, and the loader keeps a flag ("1", never the token) in the
 *   host page's localStorage under ahlan:<site>:active.
 * - a proactive message fires: when the launcher's look carries rules
 *   (only sites that have some on, for the visitor's language), a second
 *   small script, proactive.js, is fetched to evaluate them — URL, time on
 *   the page, the visitor's visits — and the first that fires loads the
 *   widget, which shows its text (open on wide screens; on phones the
 *   launcher shows it as unread). The other sites' page views never fetch
 *   it, which keeps them within 3 KB.
 * Once the widget is ready it draws its own launcher at the same place and
 * the loader's button goes away.
 *
 * It runs on pages we do not control, whose CSS and scripts were written
 * with no thought of us (see the hostile pages of e2e/tests/browser/hostile.rs):
 * - Everything lives in the shadow root of an <ahlan-chat> element, so no
 *   selector of the page (iframe, button, *) reaches it, and neither do
 *   MutationObservers that rewrite or remove third-party iframes. The host
 *   element is display: contents, so what the page's rules give it (size,
 *   border, transform, opacity) has no box to act on; the few properties
 *   that inherit are set on our elements themselves.
 * - Every style is inline and !important: that beats any stylesheet rule,
 *   !important included, and needs no <style> a strict CSP would block.
 * - The button and the iframe are manual popovers, shown in the top layer
 *   where browsers have it: above everything of the page whatever its
 *   z-index, and free of its ancestors' transforms and filters. Elsewhere
 *   the same styles put them fixed at the maximum z-index.
 * - Built-ins are taken from their prototypes when this script runs:
 *   pages wrap or break the copies they can reach (window.addEventListener,
 *   Element.prototype.appendChild, document.createElement, JSON.parse),
 *   before or after we run. No Array methods, and for-in only with an
 *   own-property check (pages add to Object.prototype), for the
 *   same reason, and no regular expression literals (the minifier's
 *   tokenizer is simple).
 * - window.Ahlan is not overwritten when the page already uses that name:
 *   the API is then window.AhlanChat (docs/SDK.md). */
(function (w, d) {
  "use strict";
  // The built-ins used, from their prototypes (set first thing below).
  var listen, append, remove, create, createNS, getAttr, setAttr, attachShadow,
    showPopover, setStyle, Request, own, isArray;
  var SVG = "http://www.w3.org/2000/svg";
  var site, locale, origin, root, button, frame, look;
  // What the page said of its user (identify), and its attributes: told to
  // every widget this page view loads.
  var identity = null, attributes = null;
  var ready = false, announced = false, side = "right", open = false, wantOpen = false, full = false;
  // The server refused this page (unknown site key, origin not allowed).
  var refused = false;
  var queued = [], listeners = { ready: [], open: [], close: [], message: [], unread: [] };
  // Proactive rules for this visitor's language, proactive.js's scheduler
  // once it has arrived, and the rule that loaded the widget.
  var rules = [], scheduler = null, proactive = null;

  function report(e) {
    try { w.console.error("Ahlan:", e); } catch (x) {}
  }

  function warn(text) {
    try { w.console.warn("Ahlan: " + text); } catch (x) {}
  }

  // What this page keeps for the chat in its own localStorage, per site:
  // "active" (a conversation is ongoing) and "reset" (shutdown() was called:
  // the next widget forgets the visitor). Storage may be refused (privacy
  // settings, sandboxed pages): the chat then works for this page view only.
  function stored(name) {
    try { return w.localStorage.getItem("ahlan:" + site + ":" + name) === "1"; } catch (e) { return false; }
  }

  // The rules of a new look: to proactive.js, fetched the first time
  // there are any. It is handed what it needs on its <script> element
  // (read as document.currentScript, which is why the element goes in the
  // document, not our shadow root) and gives back its scheduler, which
  // runs now and again with the rules of a new look (setLocale).
  function proactiveRules(list) {
    rules = isArray(list) ? list : [];
    if (scheduler) {
      scheduler(rules);
      return;
    }
    if (!rules.length) return;
    // Until it has arrived, new rules wait in `rules`.
    scheduler = function () {};
    var s = create.call(d, "script");
    s.ahlan = {
      site: site,
      // Loads the widget for rule `id`; false once the chat is here.
      fire: function (id, opening) {
        if (frame) return false;
        proactive = id;
        load(opening);
        return true;
      },
      start: function (fn) {
        scheduler = fn;
        fn(rules);
      }
    };
    s.src = origin + "/widget/proactive.js";
    append.call(d.documentElement, s);
  }

  function keep(name, on) {
    try {
      var key = "ahlan:" + site + ":" + name;
      if (on) w.localStorage.setItem(key, "1"); else w.localStorage.removeItem(key);
    } catch (e) { /* this page view only */ }
  }

  // styles: [name, value, name, value, ...], each set inline with !important.
  function css(el, styles) {
    for (var i = 0; i < styles.length; i += 2) setStyle.call(el.style, styles[i], styles[i + 1], "important");
  }

  // Fixed, on top, and nothing of the page's styles: what the button and
  // the iframe both start from.
  function base(el) {
    setAttr.call(el, "popover", "manual");
    // Everything at its initial value first (no border, margin, padding,
    // inset): nothing inherited from the page (pointer-events, visibility)
    // and none of a popover's own styles survive. Then what we need.
    css(el, ["all", "initial", "display", "block", "position", "fixed",
      "max-width", "100%", "max-height", "100%", "z-index", "2147483647"]);
  }

  function place(el) {
    append.call(root, el);
    if (showPopover) {
      try { showPopover.call(el); } catch (e) { /* fixed at the maximum z-index will do */ }
    }
  }

  function unplace(el) {
    try { remove.call(el.parentNode, el); } catch (e) { report(e); }
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
    // On a phone the panel covers the page: the widget keeps focus in it.
    if (ready && (open && vw < 480) !== full) {
      full = !full;
      post({ ahlan: "layout", full: full ? "1" : "" });
    }
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

  // The launcher the widget draws, drawn here until the widget is loaded:
  // same size, place, colour, shadow and icon, so the hand-over shows nothing.
  function draw() {
    if (button || !look || ready || !root) return;
    button = create.call(d, "button");
    base(button);
    setAttr.call(button, "type", "button");
    setAttr.call(button, "aria-label", look.label);
    setAttr.call(button, "data-ahlan", "launcher");
    var other = look.side === "left" ? "right" : "left";
    css(button, ["bottom", "16px", look.side, "16px", other, "auto", "top", "auto",
      "width", "56px", "height", "56px", "border-radius", "50%", "cursor", "pointer",
      "background", look.accent, "color", look.on_accent, "color-scheme", "light",
      "box-shadow", "0 4px 12px rgba(15,23,42,.22), 0 1px 3px rgba(15,23,42,.14)"]);
    var svg = createNS.call(d, SVG, "svg"), path = createNS.call(d, SVG, "path");
    setAttr.call(svg, "viewBox", "0 0 24 24");
    setAttr.call(svg, "aria-hidden", "true");
    setAttr.call(path, "fill", "currentColor");
    setAttr.call(path, "d", "M12 3C6.48 3 2 6.82 2 11.5c0 2.42 1.2 4.6 3.13 6.15L4.3 21.2a.6.6 0 0 0 .84.68l4.05-1.95c.9.2 1.85.32 2.81.32 5.52 0 10-3.82 10-8.5S17.52 3 12 3Z");
    css(svg, ["display", "block", "width", "28px", "height", "28px", "margin", "auto"]);
    append.call(svg, path);
    append.call(button, svg);
    listen.call(button, "click", function () { api.open(); }, false);
    // The visitor is about to click: load the chat now, opened by the click.
    listen.call(button, "pointerenter", preload, false);
    listen.call(button, "focus", preload, false);
    place(button);
    announce();
  }

  function preload() {
    try { load(false); } catch (e) { report(e); }
  }

  // on("ready"): the chat is on the page (the launcher is shown), once.
  function announce() {
    if (announced) return;
    announced = true;
    emit("ready");
  }

  // Asks the server for the launcher's look in the visitor's language; a
  // site it refuses (unknown key, origin not allowed) gets no launcher.
  function fetchLook() {
    try {
      var r = new Request(), langs = "", nav = w.navigator && w.navigator.languages;
      for (var i = 0; nav && i < nav.length && i < 5; i++) langs += (i ? "," : "") + nav[i];
      r.open("GET", origin + "/widget/launcher?site=" + encodeURIComponent(site) +
        "&origin=" + encodeURIComponent(pageOrigin()) +
        (locale ? "&locale=" + encodeURIComponent(locale) : "") +
        "&langs=" + encodeURIComponent(langs));
      // Parsed by the browser: the page's JSON.parse may be broken.
      r.responseType = "json";
      r.onload = function () {
        try {
          var body = r.response;
          if (r.status === 200 && body && typeof body.accent === "string") {
            look = body;
            side = body.side === "left" ? "left" : "right";
            draw();
            proactiveRules(body.proactive);
          } else {
            refused = true;
            warn("the chat is not shown here: " + (body && body.message || "status " + r.status));
          }
        } catch (e) { report(e); }
      };
      // Not an answer: the server is down, or the page's Content-Security-
      // Policy has no connect-src for us (docs/SDK.md). The widget then
      // comes at once and draws its own launcher, as frame-src allows.
      r.onerror = function () {
        warn("no launcher look (connect-src?): loading the chat");
        try { load(false); } catch (e) { report(e); }
      };
      r.send();
    } catch (e) { report(e); }
  }

  function pageOrigin() {
    var loc = w.location;
    return loc.origin || loc.protocol + "//" + loc.host;
  }

  // Adds the widget's iframe (once); `opening`: the panel starts open.
  function load(opening) {
    if (frame || !root) return;
    frame = create.call(d, "iframe");
    frame.title = "Chat";
    frame.src = origin + "/widget/frame?site=" + encodeURIComponent(site) +
      "&origin=" + encodeURIComponent(pageOrigin()) +
      (locale ? "&locale=" + encodeURIComponent(locale) : "") +
      (opening ? "&open=1" : "") + (stored("reset") ? "&reset=1" : "") +
      (identity ? "&identify=1" : "") +
      (proactive ? "&proactive=" + encodeURIComponent(proactive) : "");
    base(frame);
    if (!watching) watching = !!w.setInterval(page, 1000);
    // Must match the widget's, or browsers paint the iframe opaque.
    css(frame, ["background", "transparent", "color-scheme", "light"]);
    layout();
    place(frame);
    // Told first thing once it is ready: the widget waits for the identity
    // before its hello (identify=1).
    if (identity) tell(identity);
    if (attributes) tell(attributes);
  }

  // Takes the widget away (shutdown, a new locale): the loader's button again.
  function unload() {
    if (frame) unplace(frame);
    frame = null;
    ready = false;
    full = false;
    queued = [];
    if (open) {
      open = false;
      emit("close");
    }
    draw();
  }

  function post(message) {
    // contentWindow is cross-origin: its postMessage is the browser's own,
    // whatever the page did to window.postMessage.
    try { frame.contentWindow.postMessage(message, origin); } catch (e) { report(e); }
  }

  // The page the visitor is on, for the agent's context panel: told when
  // the widget is ready and, while it is here, whenever the URL or the
  // title changed — a single-page app navigates without a page load, so
  // they are looked at every second (cheaper, here, than wrapping
  // History: this code is in every page view) — once per change.
  var lastPage = "", watching = false;
  function page() {
    try {
      if (!ready) return;
      var now = String(w.location.href), title = String(d.title || "");
      if (now + "\n" + title === lastPage) return;
      lastPage = now + "\n" + title;
      post({ ahlan: "page", url: now, title: title, referrer: String(d.referrer || "") });
    } catch (e) { report(e); }
  }

  // Posts a message to the widget once it is ready (queued till then, in
  // order).
  function tell(message) {
    if (ready) post(message); else queued[queued.length] = message;
  }

  function command(kind) {
    tell({ ahlan: kind });
  }

  function emit(name, arg) {
    var fns = listeners[name], copy = [];
    for (var i = 0; i < fns.length; i++) copy[i] = fns[i];
    for (i = 0; i < copy.length; i++) {
      try { copy[i](arg); } catch (e) { report(e); }
    }
  }

  function setOpen(now) {
    if (now === open) return;
    open = now;
    layout();
    // The panel takes the focus (the widget puts it on its text box).
    if (open) {
      try { frame.focus(); } catch (e) { report(e); }
    }
    emit(open ? "open" : "close");
  }

  function onMessage(e) {
    try {
      var m = e.data;
      if (!frame || e.origin !== origin || e.source !== frame.contentWindow || !m || typeof m !== "object") return;
      if (m.ahlan === "ready") {
        // Also after the iframe reloads.
        ready = true;
        // The site's side, already mirrored for RTL by the widget.
        side = m.side === "left" ? "left" : "right";
        keep("reset", false);
        if (button) {
          unplace(button);
          button = null;
        }
        open = false;
        setOpen(m.open === true);
        layout();
        var q = queued;
        queued = [];
        for (var i = 0; i < q.length; i++) post(q[i]);
        lastPage = "";
        page();
        announce();
      } else if (m.ahlan === "resize") {
        setOpen(m.open === true);
      } else if (m.ahlan === "active") {
        keep("active", m.on === true);
      } else if (m.ahlan === "unread") {
        emit("unread", Number(m.count) || 0);
      } else if (m.ahlan === "message") {
        emit("message", { body: String(m.body), from: String(m.from) });
      } else if (m.ahlan === "error") {
        // From our widget (origin and window checked): plain text.
        warn("the chat refused what this page said (" + m.code + "): " + m.message);
      }
    } catch (x) { report(x); }
  }

  function start() {
    try {
      if (root) return;
      var box = create.call(d, "ahlan-chat");
      root = box;
      css(box, ["display", "contents"]);
      try { root = attachShadow.call(box, { mode: "open" }); } catch (e) { /* old browser: light DOM */ }
      // Outside <body>: pages restyle, transform and replace the body.
      append.call(d.documentElement, box);
      fetchLook();
      // An ongoing conversation, or open() called before the page loaded:
      // the widget now, closed unless asked.
      if (wantOpen || stored("active")) load(wantOpen);
    } catch (e) { report(e); }
  }

  var api = {
    open: function () {
      if (refused) return;
      if (frame) command("open"); else if (root) load(true); else wantOpen = true;
    },
    close: function () {
      wantOpen = false;
      if (frame) command("close");
    },
    toggle: function () {
      if (open) api.close(); else api.open();
    },
    // Another language (e.g. the page's own switcher): the launcher and
    // the widget follow; the conversation stays.
    setLocale: function (code) {
      if (typeof code !== "string" || code === locale) return;
      locale = code;
      var reopen = open;
      if (frame) unload();
      if (button) {
        unplace(button);
        button = null;
      }
      if (root) {
        fetchLook();
        if (reopen || stored("active")) load(reopen);
      }
    },
    // The page's user: {id, name, email, hash} (docs/SDK.md). With the
    // hash the server computed, the chat is theirs on every device.
    identify: function (user) {
      if (!user || typeof user !== "object" || user.id == null || String(user.id) === "") {
        warn("identify() needs an object with an id");
        return;
      }
      var text = function (v) { return v == null ? "" : String(v); };
      identity = { ahlan: "identify", user_id: text(user.id), name: text(user.name),
        email: text(user.email), hash: text(user.hash) };
      if (frame) tell(identity);
    },
    // Facts about the visitor for agents ({plan: "Pro", orders: 3}): text,
    // numbers and booleans; added to those given before.
    setAttributes: function (values) {
      if (!values || typeof values !== "object") return;
      var copy = attributes ? attributes.attributes : {};
      for (var k in values) {
        var v = values[k];
        if (own.call(values, k) && (typeof v === "string" || typeof v === "number" || typeof v === "boolean")) copy[k] = v;
      }
      var message = { ahlan: "attributes", attributes: copy };
      attributes = message;
      if (frame) tell(message);
    },
    // The visitor logged out of the page: the next chat is a new visitor's.
    shutdown: function () {
      identity = null;
      attributes = null;
      keep("active", false);
      keep("reset", true);
      unload();
    },
    on: function (name, fn) {
      var fns = own.call(listeners, name) ? listeners[name] : null;
      if (fns && typeof fn === "function") {
        fns[fns.length] = fn;
        if (name === "ready" && announced) {
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
    return isArray(v.q) ? "stub" : "page";
  }

  try {
    listen = w.EventTarget.prototype.addEventListener;
    append = w.Node.prototype.appendChild;
    remove = w.Node.prototype.removeChild;
    create = w.Document.prototype.createElement;
    createNS = w.Document.prototype.createElementNS;
    getAttr = w.Element.prototype.getAttribute;
    setAttr = w.Element.prototype.setAttribute;
    attachShadow = w.Element.prototype.attachShadow;
    showPopover = w.HTMLElement.prototype.showPopover;
    setStyle = w.CSSStyleDeclaration.prototype.setProperty;
    Request = w.XMLHttpRequest;
    own = w.Object.prototype.hasOwnProperty;
    isArray = w.Array.isArray;

    var name = "Ahlan", held = holder(name);
    if (held === "us" || holder("AhlanChat") === "us") return; // the snippet twice: the first copy rules
    // Every browser with shadow DOM sets it while a classic script runs.
    var script = d.currentScript;
    site = script && getAttr.call(script, "data-site");
    if (!site) return;
    locale = getAttr.call(script, "data-locale");
    var a = create.call(d, "a");
    a.href = script.src;
    origin = a.protocol + "//" + a.host;
    if (held === "page") {
      name = "AhlanChat";
      held = holder(name);
      if (held === "page") name = null;
      warn("window.Ahlan is taken: the API is " + (name ? "window." + name : "the snippet script's `ahlan`"));
    }
    var calls = held === "stub" ? w[name].q : [];
    if (name) w[name] = api;
    script.ahlan = api;
    // The stub's calls, in order, with their arguments.
    for (var i = 0; i < calls.length; i++) {
      var c = calls[i], fn = c && own.call(api, c[0]) ? api[c[0]] : null;
      if (typeof fn === "function") fn(c[1], c[2]);
    }
    listen.call(w, "message", onMessage, false);
    listen.call(w, "resize", function () {
      try { if (open) layout(); } catch (e) { report(e); }
    }, false);
    if (d.readyState === "complete") start(); else listen.call(w, "load", start, false);
  } catch (e) { report(e); }
})(window, document);
