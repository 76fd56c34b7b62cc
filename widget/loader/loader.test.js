// Unit test of loader.js against a minimal fake DOM: `node widget/loader/loader.test.js`.
// Node only (no packages); the browser tests (e2e/) cover the real thing,
// hostile host pages included (e2e/tests/browser/hostile.rs).
"use strict";
const assert = require("assert");
const src = require("fs").readFileSync(require("path").join(__dirname, "loader.js"), "utf8");
const AHLAN = "http://localhost:8080";

// The DOM's shape where the loader reaches into it: methods on prototypes,
// as in browsers, so a test can break the copies a page can reach.
function fakeDom(opts) {
  class EventTarget {
    addEventListener(type, fn) {
      const fns = (this.listeners[type] = this.listeners[type] || []);
      fns[fns.length] = fn;
    }
  }
  class Node extends EventTarget {
    constructor() { super(); this.listeners = {}; this.children = []; }
    appendChild(child) { this.children[this.children.length] = child; child.parent = this; return child; }
  }
  class CSSStyleDeclaration {
    constructor() { this.values = {}; this.priorities = {}; }
    setProperty(name, value, priority) { this.values[name] = value; this.priorities[name] = priority; }
  }
  class Element extends Node {
    constructor(tag) { super(); this.tagName = tag.toUpperCase(); this.attrs = {}; this.style = new CSSStyleDeclaration(); }
    getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; }
    setAttribute(k, v) { this.attrs[k] = String(v); }
    attachShadow(init) { this.shadowRoot = new Node(); this.shadowRoot.mode = init.mode; return this.shadowRoot; }
  }
  class HTMLElement extends Element {
    showPopover() { this.popoverShown = true; }
  }
  if (opts.noShadow) delete Element.prototype.attachShadow;
  if (opts.noPopover) delete HTMLElement.prototype.showPopover;
  class Document extends Node {
    createElement(tag) {
      if (tag !== "a") return new HTMLElement(tag);
      const a = {};
      Object.defineProperty(a, "href", { set(v) { const u = new URL(v); a.protocol = u.protocol; a.host = u.host; } });
      return a;
    }
    getElementsByTagName() { return [script]; }
  }
  const script = new HTMLElement("script");
  script.src = AHLAN + "/widget/loader.js";
  script.setAttribute("data-site", "pk_1");
  if (opts.locale) script.setAttribute("data-locale", opts.locale);
  const document = new Document();
  document.title = "Shop";
  document.referrer = "https://search.test/?q=shop";
  document.readyState = opts.readyState || "loading";
  document.currentScript = script;
  document.documentElement = new HTMLElement("html");
  document.body = new HTMLElement("body");
  const logged = { error: [], warn: [] };
  const window = new Node();
  const timers = [];
  // A single-page app's history: pushState changes the URL.
  class History {
    pushState(state, title, url) { window.location.href = "http://shop.test:3000" + url; }
    replaceState(state, title, url) { window.location.href = "http://shop.test:3000" + url; }
  }
  Object.assign(window, {
    EventTarget, Node, Element, HTMLElement, Document, CSSStyleDeclaration, History,
    history: new History(),
    timers,
    setTimeout: (fn) => { timers[timers.length] = fn; },
    innerWidth: 1280,
    innerHeight: 800,
    location: { origin: "http://shop.test:3000", protocol: "http:", host: "shop.test:3000",
      href: "http://shop.test:3000/" },
    console: {
      error: (...args) => { logged.error[logged.error.length] = args.join(" "); },
      warn: (...args) => { logged.warn[logged.warn.length] = args.join(" "); },
    },
  });
  for (const [name, value] of Object.entries(opts.globals || {})) window[name] = value;
  return { window, document, script, logged };
}

function load(opts = {}) {
  const dom = fakeDom(opts);
  const { window, document } = dom;
  const posted = [];
  const run = () => new Function("window", "document", src)(window, document);
  run();
  const fire = (type, e) => {
    for (const f of window.listeners[type] || []) f(e);
  };
  const box = () => document.documentElement.children.find((c) => c.tagName === "AHLAN-CHAT");
  const env = {
    ...dom, posted, run, fire, box,
    get frame() {
      const b = box();
      return b && (b.shadowRoot || b).children[0];
    },
    style: (name) => env.frame.style.values[name],
    say: (data, from) => fire("message", { origin: from || AHLAN, source: env.frame.contentWindow, data }),
  };
  // The iframe's window: what the loader posts to.
  const frameReady = () => {
    if (env.frame && !env.frame.contentWindow) {
      env.frame.contentWindow = { postMessage: (m, o) => { posted[posted.length] = [m, o]; } };
    }
  };
  const say = env.say;
  env.say = (data, from) => { frameReady(); say(data, from); };
  frameReady();
  return env;
}

// Every style the loader sets is inline and !important.
function allImportant(el) {
  for (const [name, priority] of Object.entries(el.style.priorities)) {
    assert.strictEqual(priority, "important", `${name} is set without !important`);
  }
}

// Startup, the stub queue, ready, resize, unread and message events.
const got = [];
const env = load({ globals: { Ahlan: { q: [["on", "message", (m) => got.push(["message", m])], ["open"]] } } });
assert.strictEqual(env.box(), undefined, "waits for the page's load event");
env.window.Ahlan.on("unread", (n) => got.push(["unread", n]));
env.window.Ahlan.on("ready", () => got.push(["ready"]));
env.fire("load");
assert.ok(env.box(), "the <ahlan-chat> element is added to <html>, outside <body>");
assert.strictEqual(env.document.body.children.length, 0);
assert.strictEqual(env.box().shadowRoot.mode, "open", "the iframe is in an open shadow root");
assert.strictEqual(env.box().style.values.display, "contents");
allImportant(env.box());
assert.strictEqual(env.frame.src, AHLAN + "/widget/frame?site=pk_1&origin=http%3A%2F%2Fshop.test%3A3000");
assert.strictEqual(env.frame.getAttribute("popover"), "manual");
assert.ok(env.frame.popoverShown, "shown in the top layer");
assert.strictEqual(env.style("all"), "initial", "nothing inherited from the page");
assert.strictEqual(env.style("z-index"), "2147483647");
assert.strictEqual(env.style("visibility"), "hidden", "hidden until ready");
allImportant(env.frame);

env.say({ ahlan: "ready", dir: "rtl" }, "http://evil.test");
env.fire("message", { origin: AHLAN, source: {}, data: { ahlan: "ready", dir: "rtl" } });
assert.strictEqual(env.posted.length, 0, "other origins and windows are ignored");

env.say({ ahlan: "ready", dir: "rtl" });
const firstPage = { ahlan: "page", url: "http://shop.test:3000/", title: "Shop", referrer: "https://search.test/?q=shop" };
assert.deepStrictEqual(env.posted, [[{ ahlan: "open" }, AHLAN], [firstPage, AHLAN]],
  "queued open sent on ready, then the page the visitor is on");
env.posted.length = 0;
// A single-page app navigates: the new page is told once, after a moment
// (for its title), and an unchanged page is not told again.
env.window.history.pushState({}, "", "/cart");
env.document.title = "Cart";
assert.strictEqual(env.posted.length, 0, "not before the app set the title");
env.window.timers.splice(0).forEach((f) => f());
assert.deepStrictEqual(env.posted, [[{ ahlan: "page", url: "http://shop.test:3000/cart", title: "Cart",
  referrer: "https://search.test/?q=shop" }, AHLAN]]);
env.fire("popstate", {});
env.window.timers.splice(0).forEach((f) => f());
assert.strictEqual(env.posted.length, 1, "the same page twice is told once");
env.posted.length = 0;
assert.strictEqual(env.style("left"), "0");
assert.strictEqual(env.style("right"), "auto");
assert.strictEqual(env.style("width"), "88px");
assert.strictEqual(env.style("visibility"), "visible");

env.say({ ahlan: "resize", open: true });
assert.deepStrictEqual([env.style("width"), env.style("height"), env.style("left")], ["400px", "640px", "10px"]);
env.window.innerWidth = 400;
env.fire("resize");
assert.deepStrictEqual([env.style("width"), env.style("height"), env.style("top")], ["100%", "100%", "0"], "full screen on phones");
env.say({ ahlan: "resize", open: false });
assert.deepStrictEqual([env.style("width"), env.style("top")], ["88px", "auto"]);
allImportant(env.frame);

env.say({ ahlan: "unread", count: 3 });
env.say({ ahlan: "message", body: "hi", from: "agent" });
env.window.Ahlan.on("unread", () => { throw new Error("a host bug must not escape"); });
env.say({ ahlan: "unread", count: 1 });
env.say("not an object");
env.say(null);
assert.deepStrictEqual(got, [["ready"], ["unread", 3], ["message", { body: "hi", from: "agent" }], ["unread", 1]]);
assert.strictEqual(env.logged.error.length, 1, "the host's throwing listener is reported once");
assert.ok(env.logged.error[0].includes("a host bug must not escape"), env.logged.error[0]);

env.window.Ahlan.close();
assert.deepStrictEqual(env.posted[0], [{ ahlan: "close" }, AHLAN]);
let late = 0;
env.window.Ahlan.on("ready", () => late++);
assert.strictEqual(late, 1, "on('ready') after ready fires at once");
assert.strictEqual(env.window.Ahlan.on("constructor", () => {}), env.window.Ahlan, "unknown events are ignored");
assert.strictEqual(env.script.ahlan, env.window.Ahlan, "the API is on the script element too");
assert.deepStrictEqual(env.logged.warn, []);

// The owner's side, as the widget reports it (mirroring is the widget's).
const left = load({ readyState: "complete" });
left.say({ ahlan: "ready", dir: "ltr", side: "left" });
assert.deepStrictEqual([left.style("left"), left.style("right")], ["0", "auto"], "launcher on the left");
left.say({ ahlan: "ready", dir: "rtl", side: "right" });
assert.deepStrictEqual([left.style("left"), left.style("right")], ["auto", "0"], "an RTL widget may sit on the right");

const again = load({ readyState: "complete", locale: "ar" });
assert.ok(again.frame.src.endsWith("&locale=ar"), "runs at once after load; passes the locale");
const api = again.window.Ahlan;
again.run();
assert.strictEqual(again.window.Ahlan, api, "a second copy of the snippet changes nothing");
assert.strictEqual(again.document.documentElement.children.length, 1, "and adds no second iframe");

// The page's own window.Ahlan is left alone; the API is window.AhlanChat,
// a stub there is honoured, and the page is told once, as a warning.
const theirs = { owner: "the page" };
const heard = [];
const taken = load({
  readyState: "complete",
  globals: { Ahlan: theirs, AhlanChat: { q: [["on", "message", (m) => heard.push(m.body)]] } },
});
assert.strictEqual(taken.window.Ahlan, theirs);
assert.strictEqual(taken.window.AhlanChat._ahlan, 1);
assert.strictEqual(taken.script.ahlan, taken.window.AhlanChat);
assert.strictEqual(taken.logged.warn.length, 1);
assert.ok(taken.logged.warn[0].includes("its API is window.AhlanChat"), taken.logged.warn[0]);
taken.say({ ahlan: "ready", dir: "ltr", side: "right" });
taken.say({ ahlan: "message", body: "hello", from: "agent" });
assert.deepStrictEqual(heard, ["hello"]);
taken.run();
assert.strictEqual(taken.logged.warn.length, 1, "a second copy neither warns again nor adds a frame");
assert.strictEqual(taken.document.documentElement.children.length, 1);
assert.deepStrictEqual(taken.logged.error, []);

// Both names taken: no global at all, the API on the script element.
const both = load({ readyState: "complete", globals: { Ahlan: theirs, AhlanChat: "the page's too" } });
assert.strictEqual(both.window.Ahlan, theirs);
assert.strictEqual(both.window.AhlanChat, "the page's too");
assert.strictEqual(both.script.ahlan._ahlan, 1);
assert.strictEqual(both.logged.warn.length, 1);
assert.ok(both.logged.warn[0].includes("`ahlan` property of the snippet's script element"), both.logged.warn[0]);
assert.ok(both.frame, "the chat still runs");

// Copies a page can reach, broken before the loader runs: it uses the
// prototypes' own.
const broken = () => { throw new Error("patched by the page"); };
const patched = fakeDom({ readyState: "complete" });
patched.window.addEventListener = broken;
patched.document.createElement = broken;
patched.document.documentElement.appendChild = broken;
new Function("window", "document", src)(patched.window, patched.document);
assert.deepStrictEqual(patched.logged.error, []);
assert.ok(patched.window.listeners.message, "listens for the widget anyway");
assert.strictEqual(patched.document.documentElement.children[0].tagName, "AHLAN-CHAT");

// The page's realm with built-ins broken, as some pages ship them (the
// browser test cannot: WebDriver serializes through the page's JSON): the
// loader starts, shows the widget and relays events without them.
function withBrokenBuiltins(run) {
  const saved = [];
  const breakIt = (owner, name) => {
    saved[saved.length] = [owner, name, Object.getOwnPropertyDescriptor(owner, name)];
    Object.defineProperty(owner, name, {
      configurable: true, writable: true, enumerable: true,
      value() { throw new Error(name + " is broken by the page"); },
    });
  };
  for (const name of ["slice", "forEach", "map", "filter", "indexOf", "concat", "push", "shift", "splice", "toJSON"]) {
    breakIt(Array.prototype, name);
  }
  breakIt(JSON, "stringify");
  breakIt(JSON, "parse");
  breakIt(Function.prototype, "bind");
  breakIt(Object.prototype, "polluted");
  try {
    run();
  } finally {
    for (const [owner, name, descriptor] of saved.reverse()) {
      if (descriptor) Object.defineProperty(owner, name, descriptor);
      else delete owner[name];
    }
  }
}
const seen = [];
let realm;
withBrokenBuiltins(() => {
  realm = load({ globals: { Ahlan: { q: [["on", "message", (m) => { seen[seen.length] = m.body; }], ["open"]] } } });
  realm.fire("load");
  realm.say({ ahlan: "ready", dir: "ltr", side: "right" });
  realm.say({ ahlan: "resize", open: true });
  realm.say({ ahlan: "message", body: "still here", from: "agent" });
  realm.window.Ahlan.close();
});
assert.deepStrictEqual(realm.logged.error, []);
assert.deepStrictEqual(seen, ["still here"]);
assert.deepStrictEqual(realm.posted.map((p) => p[0].ahlan), ["open", "page", "close"]);
assert.strictEqual(realm.style("width"), "400px");
allImportant(realm.frame);

// Without shadow DOM or popovers the iframe is in the element itself,
// fixed at the maximum z-index, with the same inline styles.
const old = load({ readyState: "complete", noShadow: true, noPopover: true });
assert.strictEqual(old.box().children[0].tagName, "IFRAME");
assert.strictEqual(old.style("position"), "fixed");
assert.strictEqual(old.style("z-index"), "2147483647");
assert.deepStrictEqual(old.logged.error, []);

console.log("loader.js: all checks passed");
