/**
 * Sandbox ready: ms from spawning `feathr-kv-setup sandbox serve --port 0` to its one JSON
 * ready line on stdout (what a CI job waits for before rehearsing a preset), the median of
 * several starts one after another. Each child is stopped with SIGTERM and awaited, so its CA
 * temp dir is gone before the next start.
 *
 *   npx tsx scripts/bench-sandbox-ready.ts [--runs 5] [--cli dist/cli.js] [--json]
 * Without --cli: dist/cli.js when it is newer than every source file, else source through tsx.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliEntry, median, repeat, round } from './bench-stats.js';

const ROOT = resolve(import.meta.dirname, '..');
/** Far above the 10 s the serve test allows: a hung start fails the bench instead of stalling it. */
const GIVE_UP_MS = 30_000;

export interface SandboxReady {
  sandboxReadyMs: number;
  samplesMs: number[];
  /** The CLI file measured (dist/cli.js, or source/cli.ts through tsx when dist/ is stale). */
  entry: string;
}

function timeToReadyLine(args: string[]): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...args, 'sandbox', 'serve', '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    let readyMs: number | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), GIVE_UP_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      if (readyMs !== undefined) return;
      stdout += chunk.toString();
      if (!stdout.includes('\n')) return;
      readyMs = performance.now() - started;
      // The line carries the operator's sandbox token; only its url is looked at, nothing is printed.
      const ready = JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as { url?: string };
      if (!ready.url?.startsWith('https://127.0.0.1:')) readyMs = Number.NaN;
      child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (readyMs !== undefined && Number.isFinite(readyMs) && code === 0) done(readyMs);
      else
        fail(
          new Error(
            `sandbox serve didn't print a ready line (exit ${code ?? signal}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
          ),
        );
    });
  });
}

export async function measureSandboxReady(runs = 5, args: string[] = cliEntry(ROOT)): Promise<SandboxReady> {
  await timeToReadyLine(args); // warm the file cache, as a CI runner's second step would be
  const samples = await repeat(runs, () => timeToReadyLine(args));
  return { sandboxReadyMs: round(median(samples)), samplesMs: samples.map((ms) => round(ms)), entry: args.at(-1)! };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const option = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const cli = option('cli');
  const result = await measureSandboxReady(Number(option('runs') ?? 5), cli ? [resolve(cli)] : undefined);
  process.stdout.write(
    process.argv.includes('--json')
      ? `${JSON.stringify(result)}\n`
      : `sandbox ready  ${result.sandboxReadyMs} ms  median of ${result.samplesMs.length} starts (${result.samplesMs.join(', ')} ms), ${result.entry}\n`,
  );
}
