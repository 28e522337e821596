/**
 * The migration step inside a whole setup run (runSetup over the Azure step table), in both
 * topologies: secrets are in before the vault is locked down, every value matches, and a
 * second run — now locked out of the data plane — writes nothing anywhere.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../source/kernel/events.js';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { azureConfig, otherCloudConfig, startHarness, type Harness } from '../engine/helpers/sandbox-run.js';
import { envText, generatedValues } from './support/generate-env.js';

const values = generatedValues(40, 3, 4096);

function order(events: EngineEvent[], type: 'step.started' | 'step.done', stepId: string): number {
  return events.findIndex((e) => e.type === type && 'stepId' in e && e.stepId === stepId);
}

describe.each([
  {
    topology: 'azure',
    make: azureConfig,
    lockStep: 'vault-lockdown',
    vault: 'feathr-kv-demo',
    secondPlaneReason: 'Public network access',
  },
  {
    topology: 'other-cloud',
    make: otherCloudConfig,
    lockStep: 'vault-firewall',
    vault: 'feathr-kv-eks',
    secondPlaneReason: "doesn't allow the operator's address 203.0.113.7",
  },
])('$topology: migration inside the setup run', ({ make, lockStep, vault, secondPlaneReason }) => {
  let h: Harness;
  let dir: string;
  let config: SetupConfig;
  const secrets = () => ({
    secrets: {
      stateDir: dir,
      tuning: { backoff: { baseMs: 10, capMs: 500, maxAttempts: 8, throttleBudgetMs: 60_000 } },
    },
  });
  const dataPlaneWrites = () => h.sandbox.state.requestLog.filter((r) => r.write && r.plane === 'dataplane').length;

  beforeAll(async () => {
    h = await startHarness();
    dir = await mkdtemp(join(tmpdir(), 'kv-flow-'));
    const file = join(dir, 'feathr.env');
    await writeFile(file, envText(values), { mode: 0o600 });
    config = make({ secrets: { sources: [{ envFile: file }] } });
  });
  afterAll(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every secret before the lock-down step starts, and verifies them', async () => {
    const { outcome, events } = await h.run(config, 'apply', secrets());
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    expect(order(events, 'step.done', 'secrets-in')).toBeGreaterThanOrEqual(0);
    expect(order(events, 'step.done', 'secrets-in')).toBeLessThan(order(events, 'step.started', lockStep));
    expect(outcome.applied?.verified.find((v) => v.stepId === 'secrets-in')?.summary).toMatch(
      /^Secrets verified: 48 in vault /,
    );
    const store = h.sandbox.state.vaultSecrets.get(vault)!;
    for (const [name, value] of values) {
      const record = store.get(name.replaceAll('_', '-').toLowerCase())!;
      expect(record.versions).toHaveLength(1);
      expect(record.versions[0]!.value === value).toBe(true);
    }
  });

  it('plans no change and writes nothing on a second run, now over the management plane', async () => {
    const arm = h.writes().length;
    const data = dataPlaneWrites();
    const { outcome } = await h.run(config, 'plan', secrets());
    expect(outcome.exitCode).toBe(0);
    const step = outcome.plan.steps.find((s) => s.stepId === 'secrets-in')!;
    expect(step.changes.find((c) => c.field === 'write path')).toMatchObject({
      to: 'management plane',
      reason: expect.stringContaining(secondPlaneReason),
    });
    expect((await h.run(config, 'apply', secrets())).outcome.exitCode).toBe(0);
    expect(h.writes().length).toBe(arm);
    expect(dataPlaneWrites()).toBe(data);
    expect(h.sandbox.state.vaultSecrets.get(vault)!.get('conn-str')!.versions).toHaveLength(1);
  });
});
