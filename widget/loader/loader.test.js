// Unit test of loader.js against a minimal fake DOM: `node widget/loader/loader.test.js`.
// Node only (no packages); the browser tests (e2e/) cover the real thing.
"use strict";
const assert = require("assert");
const src = require("fs").readFileSync(require("path").join(__dirname, "loader.js"), "utf8");
const AHLAN = "http://localhost:8080";

function load(opts) {
  const listeners = {};
  const posted = [];
  const contentWindow = { postMessage: (m, o) => posted.push([m, o]) };
  let frame = null;
  const script = {
    src: AHLAN + "/widget/loader.js",
    getAttribute: (k) => ({ "data-site": "pk_1", "data-locale": opts.locale || null })[k],
  };
  const document = {
    readyState: opts.readyState || "loading",
    currentScript: script,
    getElementsByTagName: () => [script],
    createElement: (tag) => {
      if (tag !== "a") return { style: {}, contentWindow };
      const a = {};
      Object.defineProperty(a, "href", { set(v) { const u = new URL(v); a.protocol = u.protocol; a.host = u.host; } });
      return a;
    },
    body: { appendChild: (f) => { frame = f; } },
  };
  const window = {
    Ahlan: opts.prior,
    innerWidth: 1280,
    innerHeight: 800,
    location: { origin: "http://shop.test:3000", protocol: "http:", host: "shop.test:3000" },
    console: { error: () => {} },
    addEventListener: (t, f) => { (listeners[t] = listeners[t] || []).push(f); },
  };
  const run = () => new Function("window", "document", src)(window, document);
  run();
  const fire = (t, e) => (listeners[t] || []).forEach((f) => f(e));
  return {
    window, posted, run, fire,
    get frame() { return frame; },
    css: () => frame.style.cssText,
    say: (data, from) => fire("message", { origin: from || AHLAN, source: frame.contentWindow, data }),
  };
}

const got = [];
const env = load({ prior: { q: [["on", "message", (m) => got.push(["message", m])], ["open"]] } });
assert.strictEqual(env.frame, null, "waits for the page's load event");
env.window.Ahlan.on("unread", (n) => got.push(["unread", n]));
env.window.Ahlan.on("ready", () => got.push(["ready"]));
env.fire("load");
assert.strictEqual(env.frame.src, AHLAN + "/widget/frame?site=pk_1&origin=http%3A%2F%2Fshop.test%3A3000");
assert.ok(env.css().includes("visibility:hidden!important"), "hidden until ready");

env.say({ ahlan: "ready", dir: "rtl" }, "http://evil.test");
env.fire("message", { origin: AHLAN, source: {}, data: { ahlan: "ready", dir: "rtl" } });
assert.strictEqual(env.posted.length, 0, "other origins and windows are ignored");

env.say({ ahlan: "ready", dir: "rtl" });
assert.deepStrictEqual(env.posted, [[{ ahlan: "open" }, AHLAN]], "queued open sent on ready");
assert.ok(/left:0!important/.test(env.css()) && /width:88px/.test(env.css()) && /visibility:visible/.test(env.css()));

env.say({ ahlan: "resize", open: true });
assert.ok(/width:400px/.test(env.css()) && /height:640px/.test(env.css()) && /left:10px/.test(env.css()));
env.window.innerWidth = 400;
env.fire("resize");
assert.ok(/width:100%/.test(env.css()) && /top:0!important/.test(env.css()), "full screen on phones");
env.say({ ahlan: "resize", open: false });
assert.ok(/width:88px/.test(env.css()));

env.say({ ahlan: "unread", count: 3 });
env.say({ ahlan: "message", body: "hi", from: "agent" });
env.window.Ahlan.on("unread", () => { throw new Error("a host bug must not escape"); });
env.say({ ahlan: "unread", count: 1 });
env.say("not an object");
env.say(null);
assert.deepStrictEqual(got, [["ready"], ["unread", 3], ["message", { body: "hi", from: "agent" }], ["unread", 1]]);

env.window.Ahlan.close();
assert.deepStrictEqual(env.posted[1], [{ ahlan: "close" }, AHLAN]);
let late = 0;
env.window.Ahlan.on("ready", () => late++);
assert.strictEqual(late, 1, "on('ready') after ready fires at once");

// The owner's side, as the widget reports it (mirroring is the widget's).
const left = load({ readyState: "complete" });
left.say({ ahlan: "ready", dir: "ltr", side: "left" });
assert.ok(/left:0!important/.test(left.css()) && !/right:0!important/.test(left.css()), "launcher on the left");
left.say({ ahlan: "ready", dir: "rtl", side: "right" });
assert.ok(/right:0!important/.test(left.css()), "an RTL widget may sit on the right");

const again = load({ readyState: "complete", locale: "ar" });
assert.ok(again.frame.src.endsWith("&locale=ar"), "runs at once after load; passes the locale");
const api = again.window.Ahlan;
again.run();
assert.strictEqual(again.window.Ahlan, api, "a second copy of the snippet changes nothing");

console.log("loader.js: all checks passed");
