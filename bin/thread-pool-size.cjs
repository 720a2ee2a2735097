// Preloaded with `node --require` by `npm start` and `npm run tessera`: CommonJS, because the ES module
// loader reads files through libuv's thread pool and so starts the pool (which reads
// UV_THREADPOOL_SIZE once, then) before any ES module body runs.
"use strict";
const { availableParallelism } = require("node:os");

/**
 * The pool's work in Tessera is signing (WebCrypto jobs run there), which is CPU-bound: libuv's
 * default of four threads overcommits a two-core machine, so signatures preempt each other and
 * the serving thread, and it leaves cores idle on a larger one. One thread per core, never fewer
 * than two (a slow DNS lookup of a PostgreSQL host must not hold up every signature), unless the
 * operator set UV_THREADPOOL_SIZE.
 */
function threadPoolSize(env, cores = availableParallelism()) {
  return env.UV_THREADPOOL_SIZE ?? String(Math.max(2, cores));
}

process.env.UV_THREADPOOL_SIZE = threadPoolSize(process.env);
module.exports = { threadPoolSize };
