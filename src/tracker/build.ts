/**
 * Builds the tracking script (TRACKER.md §3.2) with esbuild: one minified ES2017 IIFE per build,
 * `core` and `full`. The server builds into memory on the first script request; `npm run
 * build:tracker` (running this file) also writes `dist/tracker/{core,full}.js` for hosting them
 * elsewhere.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The two builds of the script. */
export interface TrackerBuild {
  core: string;
  full: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where `npm run build:tracker` writes the files. */
export const TRACKER_DIST = path.join(here, '..', '..', 'dist', 'tracker');

/** Bundle both builds; with `outDir`, also write them there as `core.js` and `full.js`. */
export async function buildTracker(outDir?: string): Promise<TrackerBuild> {
  // Loaded on demand: only the first script request (or a test) pays for starting esbuild.
  const { build } = await import('esbuild');
  const bundle = async (entry: string, full: boolean) => {
    const result = await build({
      entryPoints: [path.join(here, entry)],
      // `FULL` guards what only the full build carries (core.ts).
      define: { FULL: String(full) },
      // The project tsconfig's `strict` would add a "use strict" prologue the IIFE does not need.
      tsconfigRaw: {},
      bundle: true,
      minify: true,
      format: 'iife',
      target: 'es2017',
      platform: 'browser',
      legalComments: 'none',
      write: false,
      logLevel: 'silent',
    });
    return result.outputFiles[0]!.text.trim();
  };
  const [core, full] = await Promise.all([
    bundle('entry-core.ts', false),
    bundle('entry-full.ts', true),
  ]);
  if (outDir !== undefined) {
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, 'core.js'), core + '\n');
    await writeFile(path.join(outDir, 'full.js'), full + '\n');
  }
  return { core, full };
}

if (
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  const { gzipSync } = await import('node:zlib');
  const built = await buildTracker(TRACKER_DIST);
  for (const [name, text] of Object.entries(built)) {
    const gzip = gzipSync(text, { level: 9 }).length;
    console.log(`dist/tracker/${name}.js: ${text.length} bytes, ${gzip} bytes gzip -9`);
  }
}
