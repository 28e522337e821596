/**
 * Throttling and faults against the sandbox's real Key Vault rules: the 300-sets-per-10 s
 * window answering 429 without Retry-After, and injected 429s / 500s. Counts are small so the
 * suite stays fast; scripts/bench-migration.ts runs the 1,000-secret figure.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigration } from '../../source/secrets/migration-apply.js';
import { sandboxVault, type SandboxVault } from './support/sandbox-vault.js';

const values = (count: number, tag: string) =>
  Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`FAULT_${tag}_${i}`, `${tag}-value-${i}=ü\n${'x'.repeat(i * 37)}`]),
  );

let kv: SandboxVault | undefined;
afterEach(async () => {
  await kv?.close();
  kv = undefined;
});

describe('migration under throttling and faults', () => {
  it('waits out the real 10 s window (pre-filled so only 5 sets fit) and writes each secret once', async () => {
    kv = await sandboxVault({ vaultName: 'feathr-kv-throttle' });
    const now = Date.now();
    // 295 sets counted 9.2 s ago: the window has room for 5 now and frees up in under a second.
    kv.sandbox.state.vaultThrottle = new Map([
      ['feathr-kv-throttle', { secretSets: Array.from({ length: 295 }, () => now - 9200), other: [] }],
    ]);
    const env = values(30, 'T');
    const result = await applyMigration(kv.env({ sources: [{ env: Object.keys(env) }] }, { collect: { env } }));
    expect(result.written).toBe(30);
    expect(result.throttled).toBeGreaterThan(0);
    const throttledAnswers = kv.sandbox.state.requestLog.filter(
      (r) => r.plane === 'dataplane' && r.status === 429,
    ).length;
    expect(throttledAnswers).toBe(result.throttled);
    for (const [name, value] of Object.entries(env)) {
      expect(kv.value(name.replaceAll('_', '-'))).toBe(value);
      expect(kv.versions(name.replaceAll('_', '-'))).toBe(1);
    }
  });

  it('completes with 30 % 429s and 5 % 500s on the data plane, every value correct, one version each', async () => {
    kv = await sandboxVault({
      vaultName: 'feathr-kv-faults',
      faults: 'dataplane:429-no-retry-after@0.3,dataplane:500@0.05',
      seed: 11,
    });
    const env = values(60, 'F');
    const result = await applyMigration(kv.env({ sources: [{ env: Object.keys(env) }] }, { collect: { env } }));
    expect(result).toMatchObject({ plane: 'data', written: 60 });
    expect(result.verify).toMatchObject({ checked: 60, mismatched: [], missing: [] });
    const log = kv.sandbox.state.requestLog.filter((r) => r.plane === 'dataplane');
    expect(log.some((r) => r.status === 429)).toBe(true);
    expect(log.some((r) => r.status === 500)).toBe(true);
    for (const [name, value] of Object.entries(env)) {
      expect(kv.value(name.replaceAll('_', '-'))).toBe(value);
      expect(kv.versions(name.replaceAll('_', '-'))).toBe(1);
    }
  });

  it('completes over the management plane with 30 % 429s and 5 % 500s on vaults/secrets', async () => {
    // ARM 429s carry Retry-After: 0 here, so the floor it sets on the backoff costs no real second.
    kv = await sandboxVault({
      vaultName: 'feathr-kv-armfaults',
      faults: 'arm/secrets:429@0.3,arm/secrets:500@0.05',
      seed: 5,
      retryAfterSeconds: 0,
    });
    await kv.setNetwork({ publicNetworkAccess: 'Disabled' });
    const env = values(20, 'M');
    const result = await applyMigration(kv.env({ sources: [{ env: Object.keys(env) }] }, { collect: { env } }));
    expect(result).toMatchObject({ plane: 'management', written: 20 });
    expect(
      kv.sandbox.state.requestLog.some((r) => r.plane === 'arm' && /\/secrets\//.test(r.path) && r.status === 429),
    ).toBe(true);
    for (const [name, value] of Object.entries(env)) {
      expect(kv.value(name.replaceAll('_', '-'))).toBe(value);
      expect(kv.versions(name.replaceAll('_', '-'))).toBe(1);
    }
  });
});
