/**
 * Helm's release records as Helm 3 and 4 keep them: a Secret `sh.helm.release.v1.<name>.v<n>`
 * of type `helm.sh/release.v1`, labels owner=helm, name, status, version, whose `release` key
 * holds base64(gzip(release JSON)) (helm pkg/storage/driver/secrets.go and util.go). The
 * sandbox writes them for releases a world says were installed before, and reads them to
 * describe the cluster; helm itself reads and writes them through the API.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { KubeObject } from '../k8s/types.js';
import { T, encodeData, secretValues } from './objects.js';
import type { ClusterState } from './state.js';

export interface ReleaseRecord {
  name: string;
  namespace: string;
  version: number;
  status: string;
  chart: { name: string; version: string; appVersion?: string };
  values: Record<string, unknown>;
  /** The manifest helm applied, as it stores it. */
  manifest: string;
  updated: string;
}

export function releaseSecret(record: ReleaseRecord): KubeObject {
  const release = {
    name: record.name,
    namespace: record.namespace,
    version: record.version,
    info: {
      first_deployed: record.updated,
      last_deployed: record.updated,
      deleted: '',
      description: 'Install complete',
      status: record.status,
    },
    chart: {
      metadata: {
        name: record.chart.name,
        version: record.chart.version,
        appVersion: record.chart.appVersion,
        apiVersion: 'v2',
      },
      templates: [],
      values: {},
    },
    config: record.values,
    manifest: record.manifest,
  };
  const encoded = gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: `sh.helm.release.v1.${record.name}.v${record.version}`,
      namespace: record.namespace,
      labels: {
        owner: 'helm',
        name: record.name,
        status: record.status,
        version: String(record.version),
        modifiedAt: String(Math.floor(Date.parse(record.updated) / 1000)),
      },
    },
    data: encodeData({ release: encoded }),
  };
}

export interface StoredRelease {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  chart: string;
  appVersion?: string;
  values: Record<string, unknown>;
}

/** The releases in the cluster (latest revision of each), decoded from Helm's Secrets. */
export function storedReleases(cluster: ClusterState): StoredRelease[] {
  const latest = new Map<string, StoredRelease>();
  for (const secret of cluster.store.list(T.secret, undefined, (s) => s.type === 'helm.sh/release.v1')) {
    const encoded = secretValues(cluster, secret.metadata.namespace!, secret.metadata.name)?.release;
    if (!encoded) continue;
    try {
      const release = JSON.parse(gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8'));
      const entry: StoredRelease = {
        name: release.name,
        namespace: release.namespace,
        revision: release.version,
        status: release.info?.status ?? 'unknown',
        chart: `${release.chart?.metadata?.name}-${release.chart?.metadata?.version}`,
        ...(release.chart?.metadata?.appVersion ? { appVersion: release.chart.metadata.appVersion } : {}),
        values: release.config ?? {},
      };
      const key = `${entry.namespace}/${entry.name}`;
      if ((latest.get(key)?.revision ?? 0) < entry.revision) latest.set(key, entry);
    } catch {
      // Not a record this sandbox can read (another storage format): leave it out of the summary.
    }
  }
  return [...latest.values()];
}

/**
 * Leaves the latest revision of a release in another status, as an interrupted helm client
 * leaves `pending-*` behind (tests and rehearsals of a stuck release).
 */
export function setReleaseStatus(
  cluster: ClusterState,
  name: string,
  namespace: string,
  status: string,
  now: number,
): void {
  const records = cluster.store
    .list(T.secret, namespace)
    .filter((s) => s.type === 'helm.sh/release.v1' && s.metadata.labels?.name === name);
  const latest = records.sort(
    (a, b) => Number(b.metadata.labels?.version ?? 0) - Number(a.metadata.labels?.version ?? 0),
  )[0];
  if (!latest) throw new Error(`no Helm release ${namespace}/${name}`);
  const encoded = secretValues(cluster, namespace, latest.metadata.name)!.release!;
  const release = JSON.parse(gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8'));
  release.info.status = status;
  const data = encodeData({ release: gzipSync(Buffer.from(JSON.stringify(release))).toString('base64') });
  cluster.store.put(
    T.secret,
    { ...latest, metadata: { ...latest.metadata, labels: { ...latest.metadata.labels, status } }, data },
    now,
  );
}
