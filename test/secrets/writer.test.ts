import { createHttpHeaders, RestError } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import type { SecretEntry } from '../../source/secrets/secret-entry.js';
import { backoffDelay, writeAll, type Clock, type WriteTarget } from '../../source/secrets/writer.js';

const entry = (n: number): SecretEntry => ({ env: `S_${n}`, vaultName: `S-${n}`, source: 'test', value: `value-${n}` });
const throttled = () =>
  new RestError('Request was not processed because too many requests were received.', {
    statusCode: 429,
    code: 'Throttled',
  });
const serverError = () => new RestError('Internal error', { statusCode: 500, code: 'InternalServerError' });
const reset = () => new RestError('socket hang up', { code: 'ECONNRESET' });
const forbidden = () =>
  new RestError('Caller is not authorized. CANARY-in-sdk-message', { statusCode: 403, code: 'Forbidden' });

/** Records sleeps instead of waiting: time is a parameter of the writer, not a module mock. */
function recordingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  // Time passes only by the sleeps, so budgets are exact.
  return {
    sleeps,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.999,
    now: () => sleeps.reduce((a, b) => a + b, 0),
  };
}

/** A vault stand-in: each name holds its versions; failures are scripted per name. */
function vaultStandIn(script: (name: string, attempt: number) => 'ok' | 'landed-then-500' | Error) {
  const versions = new Map<string, string[]>();
  const attempts = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const target: WriteTarget = {
    async write(e) {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight -= 1;
      const n = (attempts.get(e.vaultName) ?? 0) + 1;
      attempts.set(e.vaultName, n);
      const outcome = script(e.vaultName, n);
      if (outcome instanceof Error) throw outcome;
      const list = versions.get(e.vaultName) ?? [];
      list.push(`v${list.length + 1}`);
      versions.set(e.vaultName, list);
      if (outcome === 'landed-then-500') throw serverError();
      return { version: list[list.length - 1]! };
    },
    async landed(e, previous) {
      const list = versions.get(e.vaultName) ?? [];
      const last = list[list.length - 1];
      return last && last !== previous ? last : undefined;
    },
  };
  return { target, versions, attempts, maxInFlight: () => maxInFlight };
}

const policy = { baseMs: 100, capMs: 1000, maxAttempts: 8, throttleBudgetMs: 10_000 };

describe('writeAll', () => {
  it('retries 429s (no Retry-After) with full-jitter exponential backoff', async () => {
    const vault = vaultStandIn((_name, attempt) => (attempt <= 3 ? throttled() : 'ok'));
    const clock = recordingClock();
    const report = await writeAll([{ entry: entry(1) }], vault.target, { policy, clock, concurrency: 4 });
    expect(report.failed).toEqual([]);
    expect(report.throttled).toBe(3);
    expect(clock.sleeps).toEqual([99, 199, 399]);
    expect(vault.versions.get('S-1')).toEqual(['v1']);
  });

  it("honours ARM's Retry-After as a floor for the delay", async () => {
    const armThrottled = () =>
      new RestError('Too many requests', {
        statusCode: 429,
        code: 'TooManyRequests',
        response: { headers: createHttpHeaders({ 'retry-after': '2' }), status: 429 } as never,
      });
    const vault = vaultStandIn((_name, attempt) => (attempt === 1 ? armThrottled() : 'ok'));
    const clock = { ...recordingClock(), random: () => 0 };
    const sleeps: number[] = [];
    clock.sleep = async (ms) => void sleeps.push(ms);
    await writeAll([{ entry: entry(1) }], vault.target, { policy, clock, concurrency: 1 });
    expect(sleeps).toEqual([2000]);
  });

  it('caps the delay and draws it from [0, cap)', () => {
    expect(backoffDelay(policy, 10, () => 0.5)).toBe(500);
    expect(backoffDelay(policy, 0, () => 0)).toBe(0);
  });

  it('after a 5xx whose write landed, does not write again (one version per run)', async () => {
    const vault = vaultStandIn((_name, attempt) => (attempt === 1 ? 'landed-then-500' : 'ok'));
    const report = await writeAll([{ entry: entry(1) }, { entry: entry(2) }], vault.target, {
      policy,
      clock: recordingClock(),
      concurrency: 2,
    });
    expect(report.failed).toEqual([]);
    expect(report.reconciled).toBe(2);
    expect(vault.versions.get('S-1')).toEqual(['v1']);
    expect(vault.attempts.get('S-1')).toBe(1);
  });

  it('after a reset that did not land, writes again', async () => {
    const vault = vaultStandIn((_name, attempt) => (attempt === 1 ? reset() : 'ok'));
    const report = await writeAll([{ entry: entry(1) }], vault.target, {
      policy,
      clock: recordingClock(),
      concurrency: 1,
    });
    expect(report.written.map((w) => w.version)).toEqual(['v1']);
    expect(vault.attempts.get('S-1')).toBe(2);
  });

  it('keeps at most `concurrency` writes in flight', async () => {
    const vault = vaultStandIn(() => 'ok');
    await writeAll(
      Array.from({ length: 40 }, (_, i) => ({ entry: entry(i) })),
      vault.target,
      { policy, clock: recordingClock(), concurrency: 5 },
    );
    expect(vault.maxInFlight()).toBe(5);
    expect(vault.versions.size).toBe(40);
  });

  it('reports non-transient failures without retrying and without the SDK message', async () => {
    const vault = vaultStandIn((name) => (name === 'S-2' ? forbidden() : 'ok'));
    const report = await writeAll([{ entry: entry(1) }, { entry: entry(2) }], vault.target, {
      policy,
      clock: recordingClock(),
      concurrency: 2,
    });
    expect(report.written).toHaveLength(1);
    expect(report.failed.map((f) => f.entry.vaultName)).toEqual(['S-2']);
    expect(vault.attempts.get('S-2')).toBe(1);
    expect(report.failed[0]!.error.message).toBe('Writing S-2 failed: 403 Forbidden');
    expect(report.failed[0]!.error.message).not.toContain('CANARY');
  });

  it('gives up on 5xx after maxAttempts', async () => {
    const vault = vaultStandIn(() => serverError());
    const report = await writeAll([{ entry: entry(1) }], vault.target, {
      policy: { ...policy, maxAttempts: 3 },
      clock: recordingClock(),
      concurrency: 1,
    });
    expect(report.failed).toHaveLength(1);
    expect(vault.attempts.get('S-1')).toBe(3);
  });

  it('keeps retrying 429s past maxAttempts until the time budget is spent', async () => {
    const vault = vaultStandIn(() => throttled());
    const clock = recordingClock();
    const report = await writeAll([{ entry: entry(1) }], vault.target, {
      policy: { ...policy, maxAttempts: 3, throttleBudgetMs: 5000 },
      clock,
      concurrency: 1,
    });
    expect(report.failed.map((f) => f.error.facts.kind)).toEqual(['throttled']);
    // 99 + 199 + 399 + 799 + 999 + 999 + 999 + 999 = 5492 ms: the try after crossing 5 s is the last.
    expect(vault.attempts.get('S-1')).toBe(9);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5000);
  });

  it('refuses a batch naming one secret twice', async () => {
    const vault = vaultStandIn(() => 'ok');
    await expect(
      writeAll([{ entry: entry(1) }, { entry: { ...entry(1), vaultName: 's-1' } }], vault.target, {
        policy,
        clock: recordingClock(),
        concurrency: 1,
      }),
    ).rejects.toThrow(/queued twice/);
  });
});
