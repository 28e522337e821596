/**
 * Runs of the kv-monitor that outlive the release. Jobs the CronJob made, and those made
 * with `kubectl create job --from=cronjob/...`, are owned by the CronJob, so the garbage
 * collector removes them after `helm uninstall`; this step removes whatever it hasn't yet
 * (a slow collector, or a release removed with --cascade=orphan). Their pods go with them.
 */
import { feathrNamespace, feathrRelease, inContext, kubeOf } from '../steps/kube-shared.js';
import { defineRemoval, removeItem } from './removal.js';
import { REMOVE_RELEASE } from './feathr-release.js';

export const REMOVE_MONITOR_JOBS = 'remove-monitor-jobs';

/** The labels the chart puts on the CronJob's jobTemplate (the monitorPodLabels helper). */
function monitorJobSelector(release: string): string {
  return `app.kubernetes.io/component=kv-monitor,app.kubernetes.io/instance=${release}`;
}

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
    const jobs = await kube.listLabelled('job', monitorJobSelector(feathrRelease(ctx.config)), namespace);
    const items = jobs.map((job) =>
      removeItem(
        inContext(kube, `Job ${namespace}/${job.name}`),
        'a kv-monitor run of the Feathr release',
        async () => void (await kube.deleteObject('job', namespace, job.name)),
      ),
    );
    return { observed: { jobs: jobs.map((job) => job.name).sort() }, items };
  },
});
