/**
 * 1,000 secrets through the real CLI as a child process (a preset whose .env holds them),
 * against an in-process sandbox whose data plane enforces Key Vault's limit (300 secret sets
 * per 10 s). Reports the migration step's time vs the floor the limit allows, secrets/s, and
 * the child's peak RSS, sampled from /proc/<pid>/status (VmHWM) while it runs.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { startSandbox } from '../source/sandbox/start.js';
import { cliEntry } from './bench-stats.js';
import { SECRET_SET_LIMIT, THROTTLE_WINDOW_MS } from '../source/sandbox/keyvault/throttle.js';

const ROOT = resolve(import.meta.dirname, '..');
const MIGRATION_STEP = /^(secrets-in|migrate-secrets)$/;

export interface MigrationRun {
  ok: boolean;
  secrets: number;
  migrated: number;
  migrationMs: number;
  floorMs: number;
  peakRssMb: number;
  /** Where the secret writes went (from the sandbox's request log): Key Vault's data plane or ARM. */
  plane: 'data' | 'management' | 'none';
  error?: string;
}

/** ARM's write bucket: 200 at once, then 10 a second (sandbox README § ARM throttling). */
const ARM_WRITE_BURST = 200;
const ARM_WRITES_PER_SECOND = 10;

/**
 * The fastest the limit lets `count` writes go: the data plane's sliding 10-s window admits 300
 * at once and 300 more each window after; ARM's bucket 200 at once, then 10 a second. A run
 * below it didn't meet the limit (a bypassed throttle or clock), so its ratio means nothing.
 */
export function throttleMinimumMs(plane: MigrationRun['plane'], count: number): number {
  if (plane === 'management') return (Math.max(0, count - ARM_WRITE_BURST) / ARM_WRITES_PER_SECOND) * 1000;
  return (Math.ceil(count / SECRET_SET_LIMIT) - 1) * THROTTLE_WINDOW_MS;
}

function vmHwmKb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // the process has just exited
  }
}

export async function measureMigration(count: number): Promise<MigrationRun> {
  const dir = await mkdtemp(join(tmpdir(), 'kv-bench-migrate-'));
  const sandbox = await startSandbox({ rbacPropagationSeconds: 0 });
  try {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, sandbox.caPem);
    // Values of a realistic size, none alike (a re-run must not find them unchanged by chance).
    const lines = Array.from({ length: count }, (_, i) => `BENCH_SECRET_${i}=bench-${i}-${'v'.repeat(64 + (i % 256))}`);
    await writeFile(join(dir, 'bench.env'), lines.join('\n') + '\n');
    const doc = parse(await readFile(join(ROOT, 'presets/other-cloud-workload-identity.yaml'), 'utf8'));
    doc.vault.name = 'feathr-kv-bench';
    doc.secrets.sources = [{ envFile: './bench.env' }];
    const preset = join(dir, 'bench.yaml');
    await writeFile(preset, stringify(doc));

    const entry = cliEntry(ROOT);
    const child = spawn(
      process.execPath,
      [...entry, '--preset', preset, '--yes', '--output', 'json', '--sandbox-url', sandbox.url, '--sandbox-ca', caFile],
      {
        cwd: ROOT,
        env: { ...process.env, FEATHR_KV_SETUP_STATE_DIR: join(dir, 'state'), NO_PROXY: '127.0.0.1,localhost' },
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    let peakKb = 0;
    const sampler = setInterval(() => (peakKb = Math.max(peakKb, vmHwmKb(child.pid!) ?? 0)), 20);
    const starts = new Map<string, number>();
    let migrationMs = Number.NaN;
    let last: { ok?: boolean; error?: { message?: string } } | undefined;
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const event = JSON.parse(line) as { type: string; stepId?: string; ok?: boolean };
        if (event.type === 'step.started' && MIGRATION_STEP.test(event.stepId ?? ''))
          starts.set(event.stepId!, performance.now());
        if ((event.type === 'step.done' || event.type === 'step.failed') && starts.has(event.stepId ?? ''))
          migrationMs = performance.now() - starts.get(event.stepId!)!;
        if (event.type === 'result') last = event;
        peakKb = Math.max(peakKb, vmHwmKb(child.pid!) ?? 0);
      }
    });
    const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? 1)));
    clearInterval(sampler);
    const vault = sandbox.state.vaultSecrets.get('feathr-kv-bench');
    const migrated = [...(vault?.values() ?? [])].filter((r) => r.name.startsWith('BENCH-SECRET-')).length;
    const written = (plane: string, pattern: RegExp) =>
      sandbox.state.requestLog.filter(
        (r) => r.plane === plane && r.method === 'PUT' && r.status < 300 && pattern.test(r.path),
      ).length;
    const dataWrites = written('dataplane', /^\/kv\/feathr-kv-bench\/secrets\/BENCH-SECRET-/i);
    const armWrites = written('arm', /\/vaults\/feathr-kv-bench\/secrets\/BENCH-SECRET-/i);
    const plane = dataWrites >= armWrites ? (dataWrites > 0 ? 'data' : 'none') : 'management';
    // The floor the ratio is taken against is the one of the plane the writes went over.
    const floorMs =
      plane === 'management' ? throttleMinimumMs('management', count) : (count / SECRET_SET_LIMIT) * THROTTLE_WINDOW_MS;
    const tooFast = migrationMs < throttleMinimumMs(plane, count);
    const error =
      code !== 0
        ? last?.error?.message?.split('\n')[0]?.slice(0, 160)
        : tooFast
          ? `the migration took ${Math.round(migrationMs)} ms, less than the ${plane}-plane limit allows (${Math.round(throttleMinimumMs(plane, count))} ms): the throttle or its clock was bypassed`
          : undefined;
    return {
      ok: code === 0 && migrated === count && !tooFast,
      secrets: count,
      migrated,
      migrationMs,
      floorMs,
      peakRssMb: Math.round(peakKb / 1024),
      plane,
      ...(error ? { error } : {}),
    };
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}
