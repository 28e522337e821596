import { afterEach, describe, expect, it } from 'vitest';
import {
  createFaultPlan,
  drawFault,
  FaultSpecError,
  latencyFor,
  parseFaultRules,
} from '../../../source/sandbox/faults.js';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { clientsFor, failure, request, rgPath, withSandbox } from '../arm/helpers.js';

describe('fault and latency specs', () => {
  it.each([
    ['arm-write:429', 'KIND[/FILTER]:EFFECT@TRIGGER'],
    ['armx:500@0.1', 'unknown kind'],
    ['arm:418@0.1', 'unknown effect'],
    ['arm:failed@0.1', '"failed" is the only effect for lro'],
    ['lro:500@0.1', '"failed" is the only effect for lro'],
    ['arm:500@1.5', 'probability'],
    ['arm:500@#0', 'counts from 1'],
  ])('refuses %s', (spec, text) => {
    expect(() => parseFaultRules(spec, 1)).toThrow(FaultSpecError);
    expect(() => parseFaultRules(spec, 1)).toThrow(text);
  });

  it('parses the documented examples', () => {
    const plan = createFaultPlan({
      faults: 'arm-write:429@0.2,arm:500@0.05,lro:failed@#3,dataplane:reset@0.1',
      latency: 'arm-write=3000,lro=2000,dataplane=5',
    });
    expect(plan.rules.map((rule) => [rule.kind, rule.effect, rule.probability ?? `#${rule.nth}`])).toEqual([
      ['arm-write', '429', 0.2],
      ['arm', '500', 0.05],
      ['lro', 'failed', '#3'],
      ['dataplane', 'reset', 0.1],
    ]);
    expect(latencyFor(plan, 'arm-write')).toBe(3000);
    expect(latencyFor(plan, 'arm-read')).toBe(0);
    expect(latencyFor(plan, 'dataplane-read')).toBe(5);
    expect(latencyFor(plan, 'lro')).toBe(2000);
    expect(() => createFaultPlan({ latency: 'arm=fast' })).toThrow('KIND=MS');
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const plan = createFaultPlan({ faults: 'arm:500@0.3', seed });
      return Array.from({ length: 200 }, () => (drawFault(plan, 'arm-read', '/x') ? 1 : 0)).join('');
    };
    expect(draw(7)).toBe(draw(7));
    expect(draw(7)).not.toBe(draw(8));
    const hits = draw(7)
      .split('')
      .filter((bit) => bit === '1').length;
    expect(hits).toBeGreaterThan(30);
    expect(hits).toBeLessThan(90);
  });

  it('fires #N on exactly the Nth matching call, counting only the filter', () => {
    const plan = createFaultPlan({ faults: 'arm-write/vaults/:503@#2' });
    const fired = ['/a/vaults/x', '/a/subnets/y', '/a/vaults/z', '/a/vaults/w'].map(
      (path) => drawFault(plan, 'arm-write', path)?.kind ?? '-',
    );
    expect(fired).toEqual(['-', '-', 'status', '-']);
    expect(drawFault(plan, 'arm-read', '/a/vaults/x')).toBeUndefined();
  });
});

describe('faults and latency applied by the server', () => {
  let sandbox: RunningSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('answers ARM 429 with Retry-After, or without it for 429-no-retry-after, and logs the status', async () => {
    sandbox = await withSandbox({ faults: 'arm-read:429@#1,arm-read:429-no-retry-after@#2' });
    const token = sandbox.tokenFor('operator');
    const first = await request(sandbox, 'GET', rgPath(sandbox, '?api-version=2021-04-01'), { token });
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('1');
    expect(first.body.error.code).toBe('TooManyRequests');
    const second = await request(sandbox, 'GET', rgPath(sandbox, '?api-version=2021-04-01'), { token });
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBeUndefined();
    expect((await request(sandbox, 'GET', rgPath(sandbox, '?api-version=2021-04-01'), { token })).status).toBe(200);
    expect(sandbox.state.requestLog.slice(0, 3).map((entry) => entry.status)).toEqual([429, 429, 200]);
  });

  it('lets the SDK retry a 429 with Retry-After and succeed', async () => {
    sandbox = await withSandbox({ faults: 'arm-read:429@#1' });
    const group = await clientsFor(sandbox).resources.resourceGroups.get('feathr-rg');
    expect(group.name).toBe('feathr-rg');
    expect(sandbox.state.requestLog.map((entry) => entry.status)).toEqual([429, 200]);
  });

  it('carries the Retry-After an in-process test asks for, and the SDK still retries on it', async () => {
    sandbox = await withSandbox({ faults: 'arm-read:429@#1,arm-read:429@#2', retryAfterSeconds: 0 });
    const first = await request(sandbox, 'GET', rgPath(sandbox, '?api-version=2021-04-01'), {
      token: sandbox.tokenFor('operator'),
    });
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('0');
    const group = await clientsFor(sandbox).resources.resourceGroups.get('feathr-rg');
    expect(group.name).toBe('feathr-rg');
    expect(sandbox.state.requestLog.map((entry) => entry.status)).toEqual([429, 429, 200]);
  });

  it('resets the connection, and the data plane 429 carries no Retry-After', async () => {
    sandbox = await withSandbox({ faults: 'arm-read:reset@#1,dataplane:429@#1' });
    await expect(
      request(sandbox, 'GET', rgPath(sandbox, '?api-version=2021-04-01'), { token: sandbox.tokenFor('operator') }),
    ).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(sandbox.state.requestLog[0]).toMatchObject({ status: 0, plane: 'arm' });
    const throttled = await request(sandbox, 'GET', '/kv/feathr-kv-old/secrets?api-version=2025-07-01');
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe('Throttled');
    expect(throttled.headers['retry-after']).toBeUndefined();
  });

  it('delays by operation kind and keeps an LRO InProgress for the lro latency', async () => {
    sandbox = await withSandbox({ latency: 'arm-write=150,lro=300' });
    const token = sandbox.tokenFor('operator');
    const started = Date.now();
    const put = await request(
      sandbox,
      'PUT',
      rgPath(sandbox, '/providers/Microsoft.Network/privateDnsZones/slow.internal?api-version=2024-06-01'),
      { token, body: { location: 'global' } },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const pollPath = new URL(String(put.headers['azure-asyncoperation'])).pathname + '?api-version=2024-06-01';
    expect((await request(sandbox, 'GET', pollPath, { token })).body.status).toBe('InProgress');
    // Poll as a client would: the operation ends Succeeded, and not before its 300 ms are up.
    let status = 'InProgress';
    while (status === 'InProgress' && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      status = (await request(sandbox, 'GET', pollPath, { token })).body.status;
    }
    expect(status).toBe('Succeeded');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140 + 300);
  });

  it('changes faults at run time through POST /_sandbox/faults and refuses a bad spec', async () => {
    sandbox = await withSandbox();
    expect((await request(sandbox, 'POST', '/_sandbox/faults', { body: { faults: 'nonsense' } })).status).toBe(400);
    expect((await request(sandbox, 'POST', '/_sandbox/faults', { body: { faults: 'arm-write:500@1' } })).status).toBe(
      200,
    );
    const error = await failure(
      clientsFor(sandbox, 'operator', { retry: false }).resources.resourceGroups.createOrUpdate('x-rg', {
        location: 'eastus',
      }),
    );
    expect(error.statusCode).toBe(500);
    expect((await request(sandbox, 'GET', '/_sandbox/faults')).body.rules).toEqual([
      { spec: 'arm-write:500@1', count: 1 },
    ]);
  });

  it('refuses an invalid --faults at start with an input error', async () => {
    await expect(withSandbox({ faults: 'arm:teapot@1' })).rejects.toMatchObject({ name: 'SandboxInputError' });
  });
});
