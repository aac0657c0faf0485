/** Entry of the core build (TRACKER.md §3.2): `/pirsch.js`, `/pirsch-events.js`, … */
import { start } from './core.ts';

start();
