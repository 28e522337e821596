/**
 * What the API server fills in on create and update (defaulting and a few admission effects),
 * for the kinds the charts and the tool create: Secret data from stringData, a Namespace's
 * phase and name label, a Service's cluster IP, workload defaults kstatus and helm read.
 */
import type { KubeObject } from './types.js';

export function applyDefaults(
  object: KubeObject,
  previous: KubeObject | undefined,
  serviceIndex: () => number,
): KubeObject {
  switch (object.kind) {
    case 'Secret': {
      if (object.stringData) {
        object.data = { ...(object.data ?? {}) };
        for (const [key, value] of Object.entries(object.stringData as Record<string, string>))
          object.data[key] = Buffer.from(String(value), 'utf8').toString('base64');
        delete object.stringData;
      }
      object.type ??= 'Opaque';
      break;
    }
    case 'Namespace':
      object.metadata.labels = {
        ...(object.metadata.labels ?? {}),
        'kubernetes.io/metadata.name': object.metadata.name,
      };
      object.spec ??= { finalizers: ['kubernetes'] };
      object.status = { phase: 'Active' };
      break;
    case 'Service':
      object.spec ??= {};
      object.spec.type ??= 'ClusterIP';
      if (object.spec.type !== 'ExternalName' && object.spec.clusterIP === undefined) {
        object.spec.clusterIP =
          previous?.spec?.clusterIP ?? `10.0.${Math.floor(serviceIndex() / 250)}.${(serviceIndex() % 250) + 2}`;
        object.spec.clusterIPs = [object.spec.clusterIP];
      }
      object.status ??= { loadBalancer: {} };
      break;
    case 'Deployment':
      object.spec ??= {};
      object.spec.replicas ??= 1;
      object.spec.revisionHistoryLimit ??= 10;
      object.spec.progressDeadlineSeconds ??= 600;
      object.spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
      object.status ??= {};
      break;
    case 'DaemonSet':
      object.spec ??= {};
      object.spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
      object.spec.revisionHistoryLimit ??= 10;
      object.status ??= {};
      break;
    case 'Job':
      object.spec ??= {};
      object.spec.completions ??= 1;
      object.spec.parallelism ??= 1;
      object.spec.backoffLimit ??= 6;
      object.status ??= {};
      break;
    case 'Pod':
      object.spec ??= {};
      object.spec.serviceAccountName ??= 'default';
      object.spec.restartPolicy ??= 'Always';
      object.spec.dnsPolicy ??= 'ClusterFirst';
      object.status ??= { phase: 'Pending', qosClass: 'BestEffort' };
      break;
    default:
      break;
  }
  // Status is the server's: a create or a plain update keeps what the controllers set.
  if (previous && previous.status !== undefined && object.kind !== 'Namespace') object.status = previous.status;
  return object;
}
