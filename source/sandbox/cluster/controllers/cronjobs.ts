/**
 * The CronJob controller, as the Kubernetes docs describe it (concepts/workloads/controllers/
 * cron-jobs): at each scheduled minute since the last (or since creation) it creates a Job
 * `<cronjob>-<scheduled time in minutes since the epoch>` from `jobTemplate`, owned by the
 * CronJob; after downtime only the latest missed time runs, and none when it is older than
 * `startingDeadlineSeconds` or more than 100 were missed; `concurrencyPolicy: Forbid` skips a
 * run while one is active, `Replace` deletes it; `suspend` stops it; finished Jobs beyond
 * `successfulJobsHistoryLimit` (3) and `failedJobsHistoryLimit` (1) are deleted, pods with them.
 * `kubectl create job --from=cronjob/...` needs nothing here: kubectl builds that Job itself.
 */
import { builtin } from '../../k8s/registry.js';
import type { KubeObject } from '../../k8s/types.js';
import { T, recordEvent } from '../objects.js';
import type { ClusterState } from '../state.js';
import { missedTimes, parseCron } from './cron-schedule.js';
import { isOwnedBy, ownedBy } from './owners.js';

const CRONJOB = builtin('cronjobs', 'batch');
const stamp = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
const condition = (job: KubeObject, type: string) =>
  (job.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === type && c.status === 'True');
const finished = (job: KubeObject) => condition(job, 'Complete') || condition(job, 'Failed');

function removeJob(cluster: ClusterState, job: KubeObject): void {
  const ns = job.metadata.namespace!;
  for (const pod of cluster.store.list(T.pod, ns, (p) => isOwnedBy(p, job)))
    cluster.store.remove(T.pod, ns, pod.metadata.name);
  cluster.store.remove(T.job, ns, job.metadata.name);
}

function pruneHistory(cluster: ClusterState, cronJob: KubeObject, jobs: KubeObject[]): void {
  const byStart = (a: KubeObject, b: KubeObject) =>
    String(a.status?.startTime ?? '').localeCompare(String(b.status?.startTime ?? ''));
  const limits: [string, number][] = [
    ['Complete', cronJob.spec.successfulJobsHistoryLimit ?? 3],
    ['Failed', cronJob.spec.failedJobsHistoryLimit ?? 1],
  ];
  for (const [type, limit] of limits) {
    const done = jobs.filter((job) => condition(job, type)).sort(byStart);
    for (const old of done.slice(0, Math.max(0, done.length - limit))) removeJob(cluster, old);
  }
}

export function reconcileCronJob(cluster: ClusterState, cronJob: KubeObject, now: number): void {
  const { store } = cluster;
  const ns = cronJob.metadata.namespace!;
  const jobs = store.list(T.job, ns, (job) => isOwnedBy(job, cronJob));
  pruneHistory(cluster, cronJob, jobs);
  const active = store.list(T.job, ns, (job) => isOwnedBy(job, cronJob) && !finished(job));
  const lastSuccess = jobs
    .filter((job) => condition(job, 'Complete'))
    .map((job) => String(job.status?.completionTime ?? ''))
    .sort()
    .at(-1);
  let lastSchedule: string | undefined = cronJob.status?.lastScheduleTime;
  const schedule = parseCron(String(cronJob.spec.schedule ?? ''));
  if (schedule && !cronJob.spec.suspend) {
    const deadline = cronJob.spec.startingDeadlineSeconds;
    // With startingDeadlineSeconds, missed times count only within that window before now.
    const since = Math.max(
      Date.parse(lastSchedule ?? cronJob.metadata.creationTimestamp ?? stamp(now)),
      deadline === undefined ? -Infinity : now - deadline * 1000,
    );
    const times = missedTimes(schedule, since, now);
    const latest = times?.at(-1);
    const policy = cronJob.spec.concurrencyPolicy ?? 'Allow';
    // The controller looks again at its next schedule, not on every API request as the sandbox
    // does: a warning about the same state is recorded once, not once per request.
    const warnOnce = (type: 'Normal' | 'Warning', reason: string, message: string) => {
      const told = store.list(
        T.event,
        ns,
        (e) => e.involvedObject?.uid === cronJob.metadata.uid && e.reason === reason,
      );
      if (told.length === 0) recordEvent(cluster, cronJob, type, reason, message, 'cronjob-controller', now);
    };
    if (times === undefined)
      warnOnce(
        'Warning',
        'TooManyMissedTimes',
        'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
      );
    else if (latest !== undefined && policy === 'Forbid' && active.length > 0)
      // The run waits (lastScheduleTime stays) while the earlier one is still running.
      warnOnce(
        'Normal',
        'JobAlreadyActive',
        'Not starting job because prior execution is running and concurrency policy is Forbid',
      );
    else if (latest !== undefined) {
      lastSchedule = stamp(latest);
      if (policy === 'Replace') for (const job of active) removeJob(cluster, job);
      const template = cronJob.spec.jobTemplate ?? {};
      const name = `${cronJob.metadata.name}-${Math.floor(latest / 60_000)}`;
      if (!store.get(T.job, ns, name)) {
        store.put(
          T.job,
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: {
              ...template.metadata,
              name,
              namespace: ns,
              annotations: {
                ...template.metadata?.annotations,
                'batch.kubernetes.io/cronjob-scheduled-timestamp': lastSchedule,
              },
              ownerReferences: [ownedBy(cronJob)],
            },
            spec: template.spec ?? {},
          },
          now,
        );
        recordEvent(cluster, cronJob, 'Normal', 'SuccessfulCreate', `Created job ${name}`, 'cronjob-controller', now);
      }
    }
  }
  const current = store.list(T.job, ns, (job) => isOwnedBy(job, cronJob) && !finished(job));
  const status = {
    ...(current.length
      ? {
          active: current.map((job) => ({
            apiVersion: 'batch/v1',
            kind: 'Job',
            name: job.metadata.name,
            namespace: ns,
            uid: job.metadata.uid,
          })),
        }
      : {}),
    ...(lastSchedule ? { lastScheduleTime: lastSchedule } : {}),
    ...(lastSuccess
      ? { lastSuccessfulTime: lastSuccess }
      : cronJob.status?.lastSuccessfulTime
        ? { lastSuccessfulTime: cronJob.status.lastSuccessfulTime }
        : {}),
  };
  if (JSON.stringify(cronJob.status ?? {}) !== JSON.stringify(status)) store.put(CRONJOB, { ...cronJob, status }, now);
}
