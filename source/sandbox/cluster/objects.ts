/**
 * The simulated API server's object store: namespaces, Secrets and other namespaced objects,
 * with kubectl's error texts where a caller may show them.
 */
import { parseAllDocuments } from 'yaml';
import type { ClusterState, KubeObject, KubeSecretObject, NamespaceState } from './state.js';

export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

export function newNamespace(name: string, labels: Record<string, string> = {}): NamespaceState {
  return { name, labels: { 'kubernetes.io/metadata.name': name, ...labels }, secrets: new Map(), objects: new Map() };
}

export function requireNamespace(cluster: ClusterState, namespace: string): NamespaceState {
  const found = cluster.namespaces.get(namespace);
  if (!found) throw new KubeApiError(`Error from server (NotFound): namespaces "${namespace}" not found`, 404);
  return found;
}

export function ensureNamespace(
  cluster: ClusterState,
  namespace: string,
  labels: Record<string, string> = {},
): 'created' | 'exists' {
  const existing = cluster.namespaces.get(namespace);
  if (existing) {
    Object.assign(existing.labels, labels);
    return 'exists';
  }
  cluster.namespaces.set(namespace, newNamespace(namespace, labels));
  return 'created';
}

export function putSecret(
  cluster: ClusterState,
  namespace: string,
  secret: Omit<KubeSecretObject, 'annotations' | 'type'> & Partial<KubeSecretObject>,
): void {
  requireNamespace(cluster, namespace).secrets.set(secret.name, {
    type: 'Opaque',
    annotations: {},
    ...secret,
    labels: { ...secret.labels },
    data: { ...secret.data },
  });
}

export function objectKey(kind: string, name: string): string {
  return `${kind}/${name}`;
}

/** kind names as kubectl accepts them (`secret`, `secrets`, `Secret`, `spc`...) → the manifest Kind. */
export function canonicalKind(kind: string): string {
  const k = kind.toLowerCase().replace(/\..*$/, '');
  const aliases: Record<string, string> = {
    secret: 'Secret',
    secrets: 'Secret',
    serviceaccount: 'ServiceAccount',
    serviceaccounts: 'ServiceAccount',
    sa: 'ServiceAccount',
    secretproviderclass: 'SecretProviderClass',
    secretproviderclasses: 'SecretProviderClass',
    namespace: 'Namespace',
    namespaces: 'Namespace',
    ns: 'Namespace',
    configmap: 'ConfigMap',
    configmaps: 'ConfigMap',
    deployment: 'Deployment',
    deployments: 'Deployment',
    pod: 'Pod',
    pods: 'Pod',
    service: 'Service',
    services: 'Service',
  };
  return aliases[k] ?? kind;
}

export function putObject(cluster: ClusterState, object: KubeObject): void {
  const namespace = object.metadata.namespace ?? 'default';
  const kind = canonicalKind(object.kind);
  if (kind === 'Namespace') {
    ensureNamespace(cluster, object.metadata.name, object.metadata.labels ?? {});
    return;
  }
  if (kind === 'Secret') {
    const decoded = Object.fromEntries(
      Object.entries((object.data ?? {}) as Record<string, string>).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString('utf8'),
      ]),
    );
    putSecret(cluster, namespace, {
      name: object.metadata.name,
      type: typeof object.type === 'string' ? object.type : 'Opaque',
      labels: object.metadata.labels ?? {},
      annotations: object.metadata.annotations ?? {},
      data: { ...decoded, ...((object.stringData ?? {}) as Record<string, string>) },
    });
    return;
  }
  requireNamespace(cluster, namespace).objects.set(objectKey(kind, object.metadata.name), {
    ...object,
    kind,
    metadata: { ...object.metadata, namespace },
  });
}

export function getObject(
  cluster: ClusterState,
  kind: string,
  namespace: string,
  name: string,
): KubeObject | undefined {
  return cluster.namespaces.get(namespace)?.objects.get(objectKey(canonicalKind(kind), name));
}

export function deleteObject(
  cluster: ClusterState,
  kind: string,
  namespace: string | undefined,
  name: string,
): 'deleted' | 'absent' {
  const canonical = canonicalKind(kind);
  if (canonical === 'Namespace') return cluster.namespaces.delete(name) ? 'deleted' : 'absent';
  const ns = cluster.namespaces.get(namespace ?? 'default');
  if (!ns) return 'absent';
  if (canonical === 'Secret') return ns.secrets.delete(name) ? 'deleted' : 'absent';
  return ns.objects.delete(objectKey(canonical, name)) ? 'deleted' : 'absent';
}

/** Parses a kubectl-apply manifest (YAML or JSON, `---`-separated, or a v1 List). */
export function parseManifest(manifest: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const document of parseAllDocuments(manifest)) {
    if (document.errors.length > 0)
      throw new KubeApiError(`error: error parsing manifest: ${document.errors[0].message}`, 400);
    const value = document.toJSON() as KubeObject | null;
    if (!value) continue;
    const items = value.kind === 'List' && Array.isArray(value.items) ? (value.items as KubeObject[]) : [value];
    for (const item of items) {
      if (!item?.kind || !item.metadata?.name)
        throw new KubeApiError('error: error validating data: kind and metadata.name are required', 400);
      objects.push(item);
    }
  }
  return objects;
}

/** `a=b,c=d` or `a` (exists) selectors, as `kubectl get -l` takes them. */
export function matchesSelector(labels: Record<string, string>, selector: string): boolean {
  return selector
    .split(',')
    .map((term) => term.trim())
    .filter(Boolean)
    .every((term) => {
      const [key, value] = term.split(/!?=+/);
      if (value === undefined) return key in labels;
      return term.includes('!=') ? labels[key] !== value : labels[key] === value;
    });
}
