/**
 * How a preset run reports its checks through the real CLI and an in-process
 * sandbox: text output shows the grouped check tables (preflight before the plan, in-cluster at
 * the end); JSON output carries every check.result event and the result event's `checks` counts;
 * a fatal preflight check ends the run with exit 1 before the plan, naming the cause.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyFeathrSecretData } from '../../source/sandbox/cluster/default-clusters.js';
import { runCli } from '../cli/run-cli.js';

const PRESET = 'presets/aks-private-endpoint.yaml';
const SECRET_VALUES = Object.values(legacyFeathrSecretData());
const parse = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, any>);

describe('checks in a preset run, through the CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'checks-in-run-cli-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('text: the preflight table before the plan, the in-cluster table at the end, then the result', async () => {
    const run = await runCli(['--preset', PRESET, '--sandbox', '--yes', '--output', 'text']);
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    const out = run.stdout;
    const preflight = out.indexOf('Preflight checks\n\ntools\n-----\n√ kubectl is installed');
    const plan = out.search(/^Plan: \d+ changes in \d+ steps/m);
    const inCluster = out.indexOf(
      'In-cluster checks\n\ncluster\n-------\n√ the CSI driver and Azure provider are ready on every Linux node',
    );
    expect(preflight).toBeGreaterThanOrEqual(0);
    expect(plan).toBeGreaterThan(preflight);
    expect(inCluster).toBeGreaterThan(plan);
    expect(out.slice(preflight, plan)).toMatch(
      /√ Checks passed: \d+ passed, 0 warnings, 0 fatal failures, \d+ skipped\.\n/,
    );
    const tail = out.slice(inCluster);
    expect(tail).toContain(
      '√ every migrated secret reaches the pod unchanged: 8 secret(s) match their sources (sha256 computed in the pod)',
    );
    expect(tail).toContain('√ pods resolve and reach the vault: feathr-kv-demo.vault.azure.net → 10.20.1.');
    expect(tail).toMatch(
      /√ Checks passed: \d+ passed, 0 warnings, 0 fatal failures, \d+ skipped\.\n√ In-cluster checks passed: .*\nSetup applied: \d+ changes, \d+ steps verified, in-cluster checks passed\.\n$/,
    );
    for (const value of SECRET_VALUES) expect(run.all).not.toContain(value);
  });

  it('json: every check.result event, and the result event counts them', async () => {
    const run = await runCli(['plan', '--preset', PRESET, '--sandbox', '--output', 'json']);
    expect(run.code).toBe(2);
    const events = parse(run.stdout);
    const checks = events.filter((e) => e.type === 'check.result');
    expect(checks.map((e) => e.id)).toEqual(
      expect.arrayContaining(['tools.kubectl', 'azure.sign-in', 'inputs.vault-name', 'cluster.context']),
    );
    expect(checks.every((e) => e.status === 'pass' || e.status === 'skip')).toBe(true);
    expect(events.findIndex((e) => e.type === 'plan.ready')).toBeGreaterThan(
      events.map((e) => e.type).lastIndexOf('check.result'),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'result',
      ok: true,
      exitCode: 2,
      checks: {
        fatal: 0,
        warnings: 0,
        passed: checks.filter((e) => e.status === 'pass').length,
        skipped: checks.filter((e) => e.status === 'skip').length,
      },
    });
  });

  it('a fatal preflight check: exit 1 before the plan, with the cause, the fix and the counts', async () => {
    // The default world's soft-deleted vault, in a copy of the preset (with the files it names).
    await cp('presets/feathr', path.join(dir, 'feathr'), { recursive: true });
    const preset = path.join(dir, 'preset.yaml');
    await writeFile(preset, (await readFile(PRESET, 'utf8')).replace(/name: feathr-kv-demo/, 'name: feathr-kv-old'));
    const json = await runCli(['--preset', preset, '--sandbox', '--yes', '--output', 'json']);
    expect(json.code).toBe(1);
    const events = parse(json.stdout);
    expect(events.some((e) => e.type === 'plan.ready' || e.type === 'step.planned')).toBe(false);
    expect(events.find((e) => e.id === 'inputs.vault-name')).toMatchObject({
      status: 'fail',
      hint: expect.stringContaining('vault.recover: true'),
    });
    expect(events.at(-1)).toMatchObject({
      type: 'result',
      ok: false,
      exitCode: 1,
      failed: ['inputs.vault-name'],
      checks: { fatal: 1, warnings: 0 },
      error: {
        message: expect.stringMatching(
          /^1 preflight check fails, so nothing was changed: Vault feathr-kv-old is soft-deleted/,
        ),
      },
    });

    const text = await runCli(['--preset', preset, '--sandbox', '--yes', '--output', 'text']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /Preflight checks\n[\s\S]*× the vault name is usable: Vault feathr-kv-old is soft-deleted[\s\S]*\n {4}fix: Set vault.recover: true/,
    );
    expect(text.stdout).not.toMatch(/^Plan: /m);
    expect(text.stderr).toMatch(
      /^× 1 preflight check fails, so nothing was changed: Vault feathr-kv-old is soft-deleted/,
    );
  });
});
