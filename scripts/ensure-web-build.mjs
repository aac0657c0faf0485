// `npm start` runs this first: build the dashboard into dist/web when it is missing or older
// than its sources (a fresh checkout, or after pulling changes), so `npm ci && npm start` serves
// it. An up-to-date build costs one directory walk.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const index = path.join(root, 'dist', 'web', 'index.html');

/** Newest modification time of the files under a directory. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
const sourcesAt = Math.max(newest(web), statSync(path.join(root, 'package-lock.json')).mtimeMs);
if (builtAt >= sourcesAt) process.exit(0);

console.log(
  builtAt
    ? 'Dashboard build is older than web/: rebuilding…'
    : 'Building the dashboard (dist/web)…',
);
let vite;
try {
  vite = await import('vite');
} catch {
  console.error(
    'Cannot build the dashboard: Vite is missing (install with `npm ci`, dev dependencies included).',
  );
  process.exit(1);
}
// Always the production build, whatever NODE_ENV the shell has.
process.env.NODE_ENV = 'production';
const started = Date.now();
await vite.build({ configFile: path.join(web, 'vite.config.ts'), logLevel: 'warn' });
console.log(`Dashboard built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
