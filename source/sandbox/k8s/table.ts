/**
 * `kubectl get` asks for a server-side Table (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`).
 * Pods get the columns a real API server prints (NAME, READY, STATUS, RESTARTS, AGE, and with
 * `-o wide` IP and NODE); other kinds NAME and AGE, as the server's default table does.
 */
import type { KubeObject } from './types.js';

export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '');
}

function age(created: string | undefined, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(created ?? new Date(now).toISOString())) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

function podStatus(pod: KubeObject): string {
  const waiting = (pod.status?.containerStatuses ?? [])
    .map(
      (c: { state?: { waiting?: { reason?: string }; terminated?: { reason?: string } } }) =>
        c.state?.waiting?.reason ?? c.state?.terminated?.reason,
    )
    .find(Boolean);
  return waiting ?? pod.status?.phase ?? 'Pending';
}

const column = (name: string, type = 'string', priority = 0) => ({
  name,
  type,
  format: name === 'Name' ? 'name' : '',
  description: '',
  priority,
});

export function toTable(
  kind: string,
  items: KubeObject[],
  resourceVersion: string,
  now: number,
): Record<string, unknown> {
  const partial = (o: KubeObject) => ({
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: o.metadata,
  });
  if (kind === 'Pod') {
    return {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion },
      columnDefinitions: [
        column('Name'),
        column('Ready'),
        column('Status'),
        column('Restarts', 'string'),
        column('Age'),
        column('IP', 'string', 1),
        column('Node', 'string', 1),
      ],
      rows: items.map((pod) => {
        const statuses = pod.status?.containerStatuses ?? [];
        const ready = `${statuses.filter((c: { ready?: boolean }) => c.ready).length}/${(pod.spec?.containers ?? []).length}`;
        return {
          cells: [
            pod.metadata.name,
            ready,
            podStatus(pod),
            0,
            age(pod.metadata.creationTimestamp, now),
            pod.status?.podIP ?? '<none>',
            pod.spec?.nodeName ?? '<none>',
          ],
          object: partial(pod),
        };
      }),
    };
  }
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: [column('Name'), column('Created At', 'date', 0)],
    rows: items.map((o) => ({ cells: [o.metadata.name, o.metadata.creationTimestamp ?? ''], object: partial(o) })),
  };
}
