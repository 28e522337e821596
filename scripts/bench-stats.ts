import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
/** Small numeric helpers for the benchmarks: medians of repeated runs, rounding, ratios. */
export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function ratio(a: number, b: number): number {
  return b > 0 ? round(a / b, 2) : Number.NaN;
}

export async function repeat<T>(times: number, run: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  // One at a time: runs in parallel would measure each other on a 2-core machine.
  for (let i = 0; i < times; i++) out.push(await run(i));
  return out;
}

/** The built CLI when dist/ is newer than every source file; else source through tsx (never a stale build). */
export function cliEntry(root: string): string[] {
  const { existsSync, statSync, readdirSync } = require('node:fs') as typeof import('node:fs');
  const dist = `${root}/dist/cli.js`;
  if (!existsSync(dist)) return ['--import', 'tsx', `${root}/source/cli.ts`];
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(`${dir}/${e.name}`) : statSync(`${dir}/${e.name}`).mtimeMs,
      ),
    );
  return statSync(dist).mtimeMs >= newest(`${root}/source`) ? [dist] : ['--import', 'tsx', `${root}/source/cli.ts`];
}
