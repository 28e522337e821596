/**
 * SIGKILL in the middle of apply: the CLI runs as its own process against the sandbox; as soon
 * as the sandbox's request log shows the first writes it is killed (no cleanup can run). A
 * second run must converge to the same end state as a run that was never interrupted, with
 * nothing created twice and no secret lost or changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { join, resolve } from 'node:path';
import { duplicates, SECRETS, SP_SECRET, startFaultWorld, type FaultWorld } from './fault-world.js';
import { createFaultPlan } from '../../source/sandbox/faults.js';
import { testTempDir } from '../helpers/temp-dir.js';

const ROOT = resolve(import.meta.dirname, '../..');
let world: FaultWorld;
let clean: unknown;

beforeAll(async () => {
  world = await startFaultWorld();
  const first = await world.run(['--preset', world.preset, '--yes', '--output', 'json']);
  expect(first.code, first.all.slice(-2000)).toBe(0);
  clean = world.endState();
  await world.reset();
}, 120_000);
afterAll(async () => world?.close());

describe('a CLI killed mid-apply', () => {
  it('is completed by a re-run, converging to the clean end state', async () => {
    // Slow writes down a little so the kill lands with work still in flight.
    world.sandbox.state.faults = createFaultPlan({ latency: 'arm-write=150,lro=150' });
    // One process (node with tsx's loader), so SIGKILL hits the CLI itself, not a wrapper.
    const child = execa(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'source/cli.ts'),
        '--preset',
        world.preset,
        '--yes',
        '--output',
        'json',
        '--sandbox-url',
        world.sandbox.url,
        '--sandbox-ca',
        join(world.dir, 'sandbox-ca.pem'),
      ],
      {
        cwd: ROOT,
        env: {
          FEATHR_SP_SECRET: SP_SECRET,
          FEATHR_KV_SETUP_STATE_DIR: join(world.dir, 'state'),
          NO_PROXY: '127.0.0.1,localhost',
          // SIGKILL leaves the CLI's temp folders behind: they go where the test can remove them.
          TMPDIR: testTempDir('kv-kill-tmp-'),
        },
        reject: false,
      },
    );
    const log = world.sandbox.state.requestLog;
    const started = log.length;
    const deadline = Date.now() + 60_000;
    while (
      !log.slice(started).some((r) => r.write && r.plane === 'arm') &&
      Date.now() < deadline &&
      child.exitCode === null
    ) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const writesBeforeKill = log.slice(started).filter((r) => r.write).length;
    child.kill('SIGKILL');
    const result = await child;
    expect(result.signal, `the CLI ended before the kill: ${String(result.stdout).slice(-1500)}`).toBe('SIGKILL');
    expect(writesBeforeKill).toBeGreaterThan(0);
    world.sandbox.state.faults = undefined;

    const rerun = await world.run(['--preset', world.preset, '--yes', '--output', 'json']);
    expect(rerun.code, rerun.all.slice(-2000)).toBe(0);
    // The re-run had work left to do: the kill really interrupted apply.
    expect(rerun.requests.filter((r) => r.write && r.plane === 'arm').length).toBeGreaterThan(0);
    expect(duplicates(world.sandbox.state)).toEqual([]);
    expect(world.endState()).toEqual(clean);
    const vault = world.sandbox.state.vaultSecrets.get('feathr-kv-eks');
    const values = Object.fromEntries(
      Object.keys(SECRETS).map((env) => [
        env,
        vault?.get(env.replaceAll('_', '-').toLowerCase())?.versions.at(-1)?.value,
      ]),
    );
    expect(values).toEqual(SECRETS);
  });
});
