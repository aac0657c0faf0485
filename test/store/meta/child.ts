/**
 * Starts `fixtures/migrate-child.ts` in separate processes, all at once.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MetaStoreOptions } from '../../../src/store/meta/db.ts';

const CHILD = fileURLToPath(new URL('./fixtures/migrate-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ChildResult {
  applied: string[];
  value: string;
}

/** Runs one migrate-child process to completion; rejects with its stderr on failure. */
function runChild(options: MetaStoreOptions, key: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, JSON.stringify(options), key],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`migrate-child exited with ${code}: ${err}`));
      else resolve(JSON.parse(out) as ChildResult);
    });
  });
}

/**
 * Starts `n` processes that migrate the same store and race for the setting `key`. Waits for all
 * of them even when one fails, so none outlives the test and recreates its deleted directory.
 */
export async function raceChildren(
  n: number,
  options: MetaStoreOptions,
  key: string,
): Promise<ChildResult[]> {
  const settled = await Promise.allSettled(Array.from({ length: n }, () => runChild(options, key)));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<ChildResult>).value);
}
