/**
 * The sandbox's CronJob controller, judged by the real kubectl on a clock the test moves: a
 * Job per scheduled minute named `<cronjob>-<minutes since the epoch>`, only the latest of
 * several missed times, none while suspended, finished Jobs pruned to the history limits; and
 * `kubectl create job --from=cronjob/...` (a protobuf Job body) runs the template at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { startSandbox, type RunningSandbox } from '../../../source/sandbox/start.js';
import { missedTimes, parseCron } from '../../../source/sandbox/cluster/controllers/cron-schedule.js';
import { helmEnv, toolPaths } from '../../helpers/kube-tools.js';

describe('cron schedules', () => {
  it.each([
    ['*/5 * * * *', '2026-12-05T10:05:00Z', true],
    ['*/5 * * * *', '2026-12-05T10:06:00Z', false],
    ['0 9-17/4 * * 1-5', '2026-12-07T13:00:00Z', true],
    ['0 9-17/4 * * 1-5', '2026-12-06T13:00:00Z', false],
    ['30 2 1,15 * *', '2026-12-15T02:30:00Z', true],
    // Both day fields restricted: either one matches (cron(8)).
    ['0 0 13 * 5', '2026-12-04T00:00:00Z', true],
    ['@hourly', '2026-12-05T11:00:00Z', true],
    ['@daily', '2026-12-05T11:00:00Z', false],
  ])('%s at %s: %s', (schedule, at, expected) => {
    expect(parseCron(schedule)!.matches(new Date(at))).toBe(expected);
  });

  it('refuses what a CronJob refuses, and gives up past 100 missed times', () => {
    for (const bad of ['* * * *', '61 * * * *', '*/0 * * * *', 'every minute']) expect(parseCron(bad)).toBeUndefined();
    const everyMinute = parseCron('* * * * *')!;
    expect(missedTimes(everyMinute, 0, 100 * 60_000)).toHaveLength(100);
    expect(missedTimes(everyMinute, 0, 101 * 60_000)).toBeUndefined();
  });
});

let sandbox: RunningSandbox;
let clock = Date.parse('2026-12-05T10:01:30Z');
beforeAll(async () => {
  sandbox = await startSandbox({ now: () => clock });
});
afterAll(() => sandbox?.close());

const kubectl = async (args: string[], input?: string) => {
  const run = await execa(
    toolPaths().kubectl,
    [...args, '--kubeconfig', sandbox.kubeconfig, '--context', 'feathr-eks'],
    { env: helmEnv(sandbox), ...(input === undefined ? {} : { input }) },
  );
  return run.stdout;
};
const jobs = async () =>
  (
    JSON.parse(await kubectl(['get', 'jobs', '-n', 'cron', '-o', 'json'])) as {
      items: {
        metadata: {
          name: string;
          annotations?: Record<string, string>;
          ownerReferences?: { kind: string; name: string }[];
        };
      }[];
    }
  ).items;

const cronJobTemplate = {
  metadata: { labels: { app: 'tick' } },
  spec: {
    backoffLimit: 0,
    template: {
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['true'] }] },
    },
  },
};

function cronJob(suspend = false): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick', namespace: 'cron' },
    spec: {
      schedule: '*/5 * * * *',
      suspend,
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 1,
      jobTemplate: cronJobTemplate,
    },
  });
}

describe('the CronJob controller', () => {
  it('creates a Job at each scheduled minute, only the latest after missed ones, and keeps the history limit', async () => {
    await kubectl(['create', 'namespace', 'cron']);
    await kubectl(['apply', '-f', '-'], cronJob());
    expect(await jobs()).toEqual([]);
    clock = Date.parse('2026-12-05T10:05:10Z');
    const first = await jobs();
    expect(first.map((j) => j.metadata.name)).toEqual([`tick-${Date.parse('2026-12-05T10:05:00Z') / 60_000}`]);
    expect(first[0]!.metadata.ownerReferences).toMatchObject([{ kind: 'CronJob', name: 'tick' }]);
    expect(first[0]!.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(
      '2026-12-05T10:05:00Z',
    );
    // 10:10 and 10:15 were missed: only 10:15 runs; the 10:05 Job is pruned (history limit 1).
    clock = Date.parse('2026-12-05T10:16:00Z');
    expect((await jobs()).map((j) => j.metadata.name)).toEqual([`tick-${Date.parse('2026-12-05T10:15:00Z') / 60_000}`]);
    const status = JSON.parse(await kubectl(['get', 'cronjob', 'tick', '-n', 'cron', '-o', 'json'])).status;
    expect(status).toMatchObject({ lastScheduleTime: '2026-12-05T10:15:00Z' });
  });

  it('creates nothing while suspended, and runs a Job made with kubectl create job --from at once', async () => {
    await kubectl(['apply', '-f', '-'], cronJob(true));
    const before = (await jobs()).map((j) => j.metadata.name);
    clock = Date.parse('2026-12-05T10:31:00Z');
    expect((await jobs()).map((j) => j.metadata.name)).toEqual(before);
    await kubectl(['create', 'job', 'now', '--from=cronjob/tick', '-n', 'cron']);
    const made = JSON.parse(await kubectl(['get', 'job', 'now', '-n', 'cron', '-o', 'json']));
    expect(made.metadata.annotations).toMatchObject({ 'cronjob.kubernetes.io/instantiate': 'manual' });
    expect(made.status.conditions.map((c: { type: string }) => c.type)).toContain('Complete');
  });

  it('counts missed times only within startingDeadlineSeconds, and warns once past 100 without it', async () => {
    const everyMinute = (name: string, deadline?: number) =>
      JSON.stringify({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name, namespace: 'cron' },
        spec: {
          schedule: '* * * * *',
          ...(deadline === undefined ? {} : { startingDeadlineSeconds: deadline }),
          jobTemplate: cronJobTemplate,
        },
      });
    await kubectl(['apply', '-f', '-'], everyMinute('windowed', 120));
    await kubectl(['apply', '-f', '-'], everyMinute('unbounded'));
    const ran = async (name: string) => (await jobs()).filter((j) => j.metadata.name.startsWith(`${name}-`)).length;
    const before = { windowed: await ran('windowed'), unbounded: await ran('unbounded') };
    // Three hours without a look: 180 missed minutes.
    clock += 3 * 3600_000;
    expect(await ran('windowed')).toBe(before.windowed + 1);
    expect(await ran('unbounded')).toBe(before.unbounded);
    await jobs();
    const warnings = JSON.parse(
      await kubectl(['get', 'events', '-n', 'cron', '--field-selector', 'reason=TooManyMissedTimes', '-o', 'json']),
    ).items as { involvedObject: { name: string }; count: number }[];
    // Once, though every request since ran the controller again.
    expect(warnings.map((w) => [w.involvedObject.name, w.count])).toEqual([['unbounded', 1]]);
  });
});
