/**
 * Summarise a V8 `.cpuprofile` (from `node --cpu-prof`): the functions with the most self time,
 * the most inclusive time, and self time grouped by module (a package under node_modules, a
 * project file, or a Node internal).
 *
 * Run: npx tsx bench/lib/cpuprofile-top.ts <file.cpuprofile> [rows, default 25] [--filter text]
 * (`--filter` keeps only inclusive rows whose location contains the text, e.g. `/src/`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Totals of one profile, in milliseconds. */
export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  selfByFunction: [string, number][];
  inclusiveByFunction: [string, number][];
  selfByModule: [string, number][];
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

function location(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  const short = url.startsWith(ROOT) ? path.relative(ROOT, url) : url;
  return short === '' ? '(native)' : `${short}:${frame.lineNumber + 1}`;
}

function functionKey(frame: CallFrame): string {
  return `${frame.functionName || '(anonymous)'} ${location(frame)}`;
}

function moduleKey(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm:${pkg[1]}`;
  if (url.startsWith(ROOT)) return path.relative(ROOT, url);
  if (url.startsWith('node:')) return 'node internals';
  return frame.functionName.startsWith('(') ? frame.functionName : '(native/V8)';
}

function sorted(map: Map<string, number>): [string, number][] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]);
}

/** Self, inclusive and per-module times of a parsed profile. */
export function summarise(profile: Profile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfByFunction = new Map<string, number>();
  const selfByModule = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let idleMs = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') idleMs += ms;
    const key = functionKey(frame);
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + ms);
    selfByModule.set(moduleKey(frame), (selfByModule.get(moduleKey(frame)) ?? 0) + ms);
    // Credit every distinct function on the stack once (recursion must not count twice).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = functionKey(byId.get(at)!.callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + ms);
    }
  }
  return {
    totalMs: (profile.endTime - profile.startTime) / 1000,
    idleMs,
    selfByFunction: sorted(selfByFunction),
    inclusiveByFunction: sorted(inclusive),
    selfByModule: sorted(selfByModule),
  };
}

function print(title: string, rows: [string, number][], totalMs: number, limit: number): void {
  console.log(`\n${title}`);
  for (const [key, ms] of rows.slice(0, limit)) {
    const share = ((ms / totalMs) * 100).toFixed(1).padStart(5);
    console.log(`${ms.toFixed(0).padStart(8)} ms ${share} %  ${key}`);
  }
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { filter: { type: 'string' } },
  });
  const [file, rows] = positionals;
  if (file === undefined) throw new Error('usage: cpuprofile-top.ts <file.cpuprofile> [rows]');
  const limit = Number(rows ?? 25);
  const summary = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  const busy = summary.totalMs - summary.idleMs;
  console.log(
    `${path.basename(file)}: ${summary.totalMs.toFixed(0)} ms sampled, ` +
      `${busy.toFixed(0)} ms busy (${((busy / summary.totalMs) * 100).toFixed(0)} %)`,
  );
  print('self time by module', summary.selfByModule, summary.totalMs, limit);
  print('self time by function', summary.selfByFunction, summary.totalMs, limit);
  const inclusive = values.filter
    ? summary.inclusiveByFunction.filter(([key]) => key.includes(values.filter!))
    : summary.inclusiveByFunction;
  print('inclusive time by function', inclusive, summary.totalMs, limit);
}

// Only when run as a script, so `summarise` can be imported.
if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) main();
