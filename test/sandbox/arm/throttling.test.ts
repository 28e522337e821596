/**
 * ARM's token buckets per subscription, principal and kind, on a frozen sandbox clock (so no
 * token comes back while the test runs; then the clock moves to refill). Plain HTTPS, as any
 * client sees it. About 1 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { request, rgPath, withSandbox } from './helpers.js';

let sandbox: RunningSandbox;
let clock = Date.parse('2026-12-05T10:00:00Z');
const tag = (i: number, principal = 'operator') =>
  request(sandbox, 'PUT', `${rgPath(sandbox)}?api-version=2025-04-01`, {
    token: sandbox.tokenFor(principal),
    body: { location: 'eastus', tags: { n: String(i) } },
  });

beforeAll(async () => {
  sandbox = await withSandbox({ now: () => clock });
});
afterAll(() => sandbox.close());

describe('ARM subscription throttling', () => {
  it('answers 250 rapid writes: 200 pass with a falling remaining count, the rest 429 with Retry-After', async () => {
    const answers = [];
    for (let i = 0; i < 250; i += 1) answers.push(await tag(i));
    const passed = answers.filter((a) => a.status < 300);
    const throttled = answers.filter((a) => a.status === 429);
    expect(passed).toHaveLength(200);
    expect(throttled).toHaveLength(50);
    expect(passed.slice(0, 3).map((a) => a.headers['x-ms-ratelimit-remaining-subscription-writes'])).toEqual([
      '199',
      '198',
      '197',
    ]);
    expect(throttled[0]!.headers['retry-after']).toBe('1');
    expect(throttled[0]!.body.error.code).toBe('SubscriptionRequestsThrottled');
    expect(throttled[0]!.body.error.message).toMatch(
      /^Number of 'write' requests for subscription '[0-9a-f-]+' actor '[0-9a-f-]+' exceeded\. Please try again after '1' seconds/,
    );
  });

  it('keeps reads, deletes and other principals in their own buckets', async () => {
    const read = await request(sandbox, 'GET', `${rgPath(sandbox)}?api-version=2025-04-01`, {
      token: sandbox.tokenFor('operator'),
    });
    expect(read.status).toBe(200);
    expect(read.headers['x-ms-ratelimit-remaining-subscription-reads']).toBe('249');
    expect((await tag(0, 'feathr-sp')).status).not.toBe(429);
  });

  it('refills 10 writes a second', async () => {
    clock += 1_000;
    const answers = [];
    for (let i = 0; i < 11; i += 1) answers.push((await tag(i)).status);
    expect(answers.filter((s) => s < 300)).toHaveLength(10);
    expect(answers.at(-1)).toBe(429);
  });

  it('throttles reads after 250', async () => {
    const statuses = [];
    for (let i = 0; i < 251; i += 1)
      statuses.push(
        (
          await request(sandbox, 'GET', `${rgPath(sandbox)}?api-version=2025-04-01`, {
            token: sandbox.tokenFor('operator'),
          })
        ).status,
      );
    // The second that passed refilled the bucket to its full 250.
    expect(statuses.indexOf(429)).toBe(250);
  });
});
