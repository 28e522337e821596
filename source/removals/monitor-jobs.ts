/**
 * Runs of the kv-monitor that outlive the release. Jobs the CronJob made, and those made
 * with `kubectl create job --from=cronjob/...`, are owned by the CronJob, so the garbage
 * collector removes them after `helm uninstall`; this step removes whatever it hasn't yet
 * (a slow collector, or a release removed with --cascade=orphan). Their pods go with them.
 */
import { feathrNamespace, feathrRelease, inContext, kubeOf } from '../steps/kube-shared.js';
import { defineRemoval, keepItem, removeItem } from './removal.js';
import { helmValuesAreOurs } from '../domain/ownership.js';
import { REMOVE_RELEASE } from './feathr-release.js';
import { UserError } from '../kernel/errors.js';

export const REMOVE_MONITOR_JOBS = 'remove-monitor-jobs';

/** The CronJob and its runs both carry the release's instance label; the runs also the monitor's component. */
const isMonitorRun = (labels: Record<string, string>): boolean =>
  labels['app.kubernetes.io/component'] === 'kv-monitor';

export const removeMonitorJobsStep = defineRemoval<'config' | 'kube'>({
  id: REMOVE_MONITOR_JOBS,
  title: 'kv-monitor Jobs',
  dependsOn: [REMOVE_RELEASE],
  appliesTo: () => true,
  done: 'kv-monitor Jobs removed',
  async inspect(ctx) {
    const kube = kubeOf(ctx);
    const namespace = feathrNamespace(ctx.config);
    if (!(await kube.namespaceExists(namespace))) return { observed: { namespace: null }, items: [] };
    const release = feathrRelease(ctx.config);
    // A release the uninstall keeps (not this tool's) keeps its monitor too.
    if ((await kube.helmStatus(release, namespace)) && !helmValuesAreOurs(await kube.helmValues(release, namespace)))
      return {
        observed: { release: 'kept' },
        items: [
          keepItem(
            inContext(kube, `kv-monitor Jobs of Helm release ${namespace}/${release}`),
            'the release is kept (not made by this tool), and its monitor with it',
          ),
        ],
      };
    // One kubectl call reads both kinds.
    const found = await kube.listLabelled('cronjob,job', `app.kubernetes.io/instance=${release}`, namespace);
    const scheduler = found.find((o) => o.kind === 'CronJob');
    const jobs = found.filter((o) => o.kind === 'Job' && isMonitorRun(o.labels));
    const items = jobs.map((job) =>
      removeItem(
        inContext(kube, `Job ${namespace}/${job.name}`),
        'a kv-monitor run of the Feathr release',
        async () => void (await kube.deleteObject('job', namespace, job.name)),
      ),
    );
    if (scheduler) {
      // While the release's CronJob exists, its runs come and go on the clock: the plan observes
      // the CronJob, not the runs, or it would be stale at the next tick. Apply reads again once
      // the release (and with it the CronJob) is gone, and removes the runs there are then.
      const later = removeItem(
        inContext(kube, `Jobs CronJob ${namespace}/${scheduler.name} starts before the release goes`),
        'kv-monitor runs of the Feathr release',
        () => {
          // Reached only when the CronJob outlived the release's removal: its runs would come back.
          throw new UserError(
            `CronJob ${namespace}/${scheduler.name} is still there after the Feathr release was removed.`,
            `Delete it (kubectl delete cronjob ${scheduler.name} -n ${namespace}) and run the same uninstall again.`,
          );
        },
      );
      return { observed: { cronjob: scheduler.name }, items: [...items, later] };
    }
    return { observed: { jobs: jobs.map((job) => job.name).sort() }, items };
  },
});
