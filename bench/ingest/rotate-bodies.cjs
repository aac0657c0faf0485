'use strict';
/* global require, module, Buffer -- CommonJS in Node; the lint config declares ESM globals only */
// autocannon `setupRequest` hook, loaded with require() inside autocannon's worker thread (it
// cannot take a function across threads, only a module path). Every request gets the next body
// of the pool file named by SPOOR_BENCH_POOL (a JSON array of strings, written by run.ts), in
// order across all connections, so consecutive requests come from different visitors.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readFileSync } = require('node:fs');

const file = process.env.SPOOR_BENCH_POOL;
if (!file) throw new Error('SPOOR_BENCH_POOL names no body pool');
// Buffers, so autocannon does not re-encode the same string for every request.
const pool = JSON.parse(readFileSync(file, 'utf8')).map((body) => Buffer.from(body));
let next = 0;

module.exports = function rotateBodies(request) {
  request.body = pool[next];
  next = (next + 1) % pool.length;
  return request;
};
