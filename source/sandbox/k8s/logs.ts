/**
 * `pods/<name>/log`: the text the pod simulation recorded for a container, or the API
 * server's own answer when there is none yet (a container that hasn't started).
 */
import type { SandboxResponse } from '../http.js';
import type { ApiCluster } from './cluster.js';
import { badRequest } from './status.js';
import type { KubeObject } from './types.js';

export function podLog(cluster: ApiCluster, pod: KubeObject, container: string | undefined): SandboxResponse {
  const containers: { name: string }[] = pod.spec?.containers ?? [];
  const name = container ?? (containers.length === 1 ? containers[0]!.name : undefined);
  if (!name) {
    throw badRequest(
      `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`,
    );
  }
  if (!containers.some((c) => c.name === name))
    throw badRequest(`container ${name} is not valid for pod ${pod.metadata.name}`);
  const text = cluster.logs.get(`${pod.metadata.namespace}/${pod.metadata.name}/${name}`);
  if (text === undefined) {
    const waiting =
      (pod.status?.containerStatuses ?? []).find((s: { name: string }) => s.name === name)?.state?.waiting?.reason ??
      'ContainerCreating';
    throw badRequest(`container "${name}" in pod "${pod.metadata.name}" is waiting to start: ${waiting}`);
  }
  return { status: 200, headers: { 'content-type': 'text/plain' }, body: text };
}
