import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTracker, TRACKER_DIST, type TrackerBuild } from '../../src/tracker/build.ts';

// The size budget and the privacy gate of the built scripts (TRACKER.md §3.1, §3.12 item 8).

/** gzip -9 ceilings in bytes: the core build's hard CI ceiling and the full build's budget. */
const CEILINGS: Record<keyof TrackerBuild, number> = { core: 1536, full: 3072 };

let built: TrackerBuild;

beforeAll(async () => {
  built = await buildTracker(TRACKER_DIST);
});

describe('the built tracking scripts', () => {
  it('stay within their gzip -9 size budgets', () => {
    for (const name of ['core', 'full'] as const) {
      const gzip = gzipSync(built[name], { level: 9 }).length;
      console.log(`${name}: ${built[name].length} bytes minified, ${gzip} bytes gzip -9`);
      expect(gzip, `${name} build, gzip -9`).toBeLessThanOrEqual(CEILINGS[name]);
    }
  });

  it('are single ES2017 IIFEs without storage writes, cookies or eval', () => {
    for (const text of Object.values(built)) {
      expect(text.startsWith('(()=>{')).toBe(true);
      expect(text.endsWith('})();')).toBe(true);
      for (const forbidden of [
        'cookie',
        'localStorage.setItem',
        'sessionStorage',
        'indexedDB',
        'caches.',
        'serviceWorker',
        'eval(',
        'new Function',
        'innerHTML',
        '?.',
        '??',
      ])
        expect(text, forbidden).not.toContain(forbidden);
    }
    // The only storage access: reading the opt-out flag.
    expect(built.core).toContain('localStorage.getItem("disable_pirsch")');
  });

  it('keep what only the full build carries out of the core build', () => {
    for (const fullOnly of ['pirschNotFound', 'pirschInit', 'pirschPageView', 'File Download'])
      expect(built.core).not.toContain(fullOnly);
    for (const global of ['pirschNotFound', 'pirschInit', 'pirschPageView', 'pirschClearSession'])
      expect(built.full).toContain(global);
  });

  it('are written to dist/tracker for hosting elsewhere', async () => {
    expect(await readFile(path.join(TRACKER_DIST, 'core.js'), 'utf8')).toBe(built.core + '\n');
    expect(await readFile(path.join(TRACKER_DIST, 'full.js'), 'utf8')).toBe(built.full + '\n');
  });
});
