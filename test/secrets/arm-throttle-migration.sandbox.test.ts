/**
 * A management-plane migration (the operator outside the vault firewall) keeps within ARM's
 * write bucket: 600 secrets take no more than 1.2× what the bucket allows and get no 429.
 * The sandbox and the migration share a virtual clock, so the ~40 s of pacing take no real
 * time (the test itself runs in a few seconds). When the operator chooses a temporary firewall
 * rule, the data plane is used instead and the rule is gone afterwards.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigration } from '../../source/secrets/migration-apply.js';
import { migrationStepPlan } from '../../source/secrets/migration-plan.js';
import { prepareMigration } from '../../source/secrets/migration.js';
import type { Clock } from '../../source/secrets/writer.js';
import { sandboxVault, type SandboxVault } from './support/sandbox-vault.js';

const COUNT = 600;
let t = Date.parse('2026-12-05T10:00:00Z');
const clock: Clock = { now: () => t, random: () => 0.5, sleep: async (ms) => void (t += ms) };

describe('management-plane migration under ARM throttling', () => {
  let kv: SandboxVault;
  let file: string;
  beforeAll(async () => {
    kv = await sandboxVault({ vaultName: 'feathr-kv-arm', now: () => t });
    await kv.setNetwork({ denyAllBut: ['52.14.20.1'] });
    file = join(kv.stateDir, 'many.env');
    await writeFile(file, Array.from({ length: COUNT }, (_, i) => `MANY_${i}=value-${i}`).join('\n') + '\n', {
      mode: 0o600,
    });
  });
  afterAll(async () => kv?.close());

  it(`writes ${COUNT} secrets within 1.2× of the write bucket's time, with no 429`, async () => {
    const bucket = [...(kv.sandbox.state.armBuckets ?? new Map())].find(([key]) => key.endsWith('|writes'))?.[1] ?? {
      tokens: 200,
      at: t,
    };
    const mark = kv.mark();
    const started = t;
    const available = Math.min(200, bucket.tokens + ((t - bucket.at) / 1000) * 10);
    const result = await applyMigration(
      kv.env(
        { sources: [{ envFile: file }] },
        {
          tuning: {
            concurrency: 16,
            clock,
            backoff: { baseMs: 250, capMs: 2000, maxAttempts: 8, throttleBudgetMs: 600_000 },
          },
        },
      ),
    );
    expect(result).toMatchObject({ plane: 'management', written: COUNT });
    const log = kv.sandbox.state.requestLog.slice(mark);
    expect(log.filter((r) => r.status === 429)).toEqual([]);
    const allowedMs = ((COUNT - Math.floor(available)) / 10) * 1000;
    const tookMs = t - started;
    expect(tookMs).toBeGreaterThanOrEqual(allowedMs * 0.95);
    expect(tookMs).toBeLessThanOrEqual(allowedMs * 1.2);
  });
});

describe('the data plane through a temporary firewall rule, as an explicit choice', () => {
  let kv: SandboxVault;
  let file: string;
  const aclsOf = () =>
    (
      [...kv.sandbox.state.resources.values()].find((r) => r.name === 'feathr-kv-rule')!.properties as {
        networkAcls: { ipRules: { value: string }[] };
      }
    ).networkAcls;
  beforeAll(async () => {
    kv = await sandboxVault({ vaultName: 'feathr-kv-rule', now: () => t });
    await kv.setNetwork({ denyAllBut: ['52.14.20.1'] });
    file = join(kv.stateDir, 'many.env');
    await writeFile(file, Array.from({ length: 400 }, (_, i) => `RULE_${i}=value-${i}`).join('\n') + '\n', {
      mode: 0o600,
    });
  });
  afterAll(async () => kv?.close());
  const env = (extra: Record<string, unknown> = {}) =>
    kv.env(
      { sources: [{ envFile: file }] },
      {
        tuning: {
          concurrency: 16,
          clock,
          backoff: { baseMs: 250, capMs: 2000, maxAttempts: 8, throttleBudgetMs: 600_000 },
        },
        ...extra,
      },
    );

  it('offers it in the plan when it is faster for this many secrets, and changes nothing by itself', async () => {
    const plan = migrationStepPlan(await prepareMigration(env(), { waitForRole: false }), kv.vaultName);
    expect(plan.changes.find((c) => c.field === 'write path')?.to).toBe('management plane');
    const offer = plan.changes.find((c) => c.field === 'faster path');
    expect(offer?.reason).toBe(
      '400 writes take about 20 s through ARM (200 at once, then 10 a second) and about 18 s over the data plane: set secrets.temporaryFirewallRule: true to let 203.0.113.7 through while writing (the rule is removed afterwards)',
    );
  });

  it('when chosen: shown in the plan, written over the data plane, the rule removed afterwards', async () => {
    const plan = migrationStepPlan(
      await prepareMigration(env({ temporaryFirewallRule: true }), { waitForRole: false }),
      kv.vaultName,
    );
    expect(plan.changes.find((c) => c.field === 'ipRules')).toMatchObject({
      mark: '~',
      resource: 'vault feathr-kv-rule firewall',
      to: '+ 203.0.113.7/32 while the secrets are written, then removed',
    });
    const finalizers: string[] = [];
    const mark = kv.mark();
    const result = await applyMigration(
      env({ temporaryFirewallRule: true, addFinalizer: (f: { name: string }) => finalizers.push(f.name) }),
    );
    expect(result).toMatchObject({ plane: 'data', written: 400 });
    expect(finalizers).toEqual(['remove the temporary firewall rule for 203.0.113.7']);
    expect(aclsOf().ipRules.map((r) => r.value)).toEqual(['52.14.20.1/32']);
    const secretWrites = kv.writesSince(mark);
    expect(secretWrites.every((w) => w.plane === 'dataplane')).toBe(true);
  });
});
