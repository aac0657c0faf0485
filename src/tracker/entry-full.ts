/** Entry of the full build (TRACKER.md §3.2): `/pa.js`, `/pirsch-extended.js`, `/script.js`. */
import { start } from './core.ts';
import { extend } from './extended.ts';

const tag = start();
if (tag) extend(tag);
