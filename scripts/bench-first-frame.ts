/**
 * First frame: ms from spawning the built CLI to its first byte on stdout (`--help`, the first
 * screen that needs no terminal), against the floor of `node -e 0` (process start and exit).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { cliEntry, median, ratio, repeat, round } from './bench-stats.js';

const ROOT = resolve(import.meta.dirname, '..');

function timeToFirstByte(args: string[], firstByte: boolean): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let at: number | undefined;
    child.stdout.on('data', () => (at ??= performance.now()));
    child.on('error', fail);
    child.on('close', () => done((firstByte && at !== undefined ? at : performance.now()) - started));
  });
}

export interface FirstFrame {
  firstFrameMs: number;
  nodeBaselineMs: number;
  ratio: number;
  entry: string;
}

export async function measureFirstFrame(runs: number): Promise<FirstFrame> {
  const args = [...cliEntry(ROOT), '--help'];
  const entry = args.at(-2)!;
  await timeToFirstByte(args, true); // warm the file cache
  const frames = await repeat(runs, () => timeToFirstByte(args, true));
  const baseline = await repeat(runs, () => timeToFirstByte(['-e', '0'], false));
  const firstFrameMs = round(median(frames));
  const nodeBaselineMs = round(median(baseline));
  return { firstFrameMs, nodeBaselineMs, ratio: ratio(firstFrameMs, nodeBaselineMs), entry };
}
