// The socket.io baseline of `cargo xtask bench`: socket.io 4 with the
// official Redis adapter, so several Node processes share rooms through one
// Redis (the usual way to scale socket.io). It does the same pair relay as
// bench-relay: an agent joins room `a<id>`; a visitor's `m` events go to
// its agent's room, wherever that socket lives.
//
//   PORT=0 REDIS_URL=redis://127.0.0.1:6379 node socketio-server.js
//
// Query: `role=agent&id=N` or `role=visitor&agent=N`. Prints
// `listening: http://127.0.0.1:PORT` once bound.
"use strict";

const http = require("http");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-adapter");
const { createClient } = require("redis");

async function main() {
  const pub = createClient({ url: process.env.REDIS_URL || "redis://127.0.0.1:6379" });
  const sub = pub.duplicate();
  for (const c of [pub, sub]) c.on("error", (e) => console.error("redis:", e.message));
  await Promise.all([pub.connect(), sub.connect()]);

  const server = http.createServer();
  const io = new Server(server, {
    transports: ["websocket"],
    adapter: createAdapter(pub, sub),
    // Same cap as Ahlan's frames (64 KiB).
    maxHttpBufferSize: 64 * 1024,
  });
  io.on("connection", (socket) => {
    const q = socket.handshake.query;
    if (q.role === "agent") {
      socket.join("a" + q.id);
    } else if (q.role === "visitor") {
      const room = "a" + q.agent;
      socket.on("m", (body) => {
        io.to(room).emit("m", body);
      });
    } else {
      socket.disconnect(true);
    }
  });
  server.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
    process.stdout.write(`listening: http://127.0.0.1:${server.address().port}\n`);
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
