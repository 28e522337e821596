/**
 * A CSI driver installed before the tool ran (world files, tests): a chart release (its
 * objects plus Helm's release record, so `helm list` and the tool see a real release), or
 * plain manifests without any Helm trace.
 */
import { stringify } from 'yaml';
import { csiObjects, type CsiInstall } from './csi-objects.js';
import { releaseSecret } from './helm-storage.js';
import { T, ensureNamespace, put } from './objects.js';
import type { ClusterState } from './state.js';

export type PreinstalledDriver =
  | { other: { syncSecret: boolean; rotation: boolean } }
  | {
      helm: {
        chart: 'csi-secrets-store-provider-azure' | 'secrets-store-csi-driver';
        release: string;
        namespace: string;
        version: string;
        syncSecret: boolean;
        rotation: boolean;
      };
    };

/** A driver installed before the tool ran: the chart's objects (and its Helm record), or plain manifests. */
export function preinstallDriver(cluster: ClusterState, driver: PreinstalledDriver, now: number): void {
  if ('other' in driver) {
    const install: CsiInstall = {
      namespace: 'kube-system',
      installer: 'driver-chart',
      release: 'csi-secrets-store',
      syncSecret: driver.other.syncSecret,
      rotation: driver.other.rotation,
    };
    // Plain manifests carry no Helm labels.
    for (const object of csiObjects(install))
      put(cluster, { ...object, metadata: { ...object.metadata, labels: { app: 'secrets-store-csi-driver' } } }, now);
    for (const object of csiObjects({ ...install, installer: 'provider-chart' }).filter((o) =>
      o.metadata.name.includes('provider-azure'),
    )) {
      put(
        cluster,
        { ...object, metadata: { ...object.metadata, labels: { app: 'csi-secrets-store-provider-azure' } } },
        now,
      );
    }
    return;
  }
  const { helm } = driver;
  ensureNamespace(cluster, helm.namespace, {}, now);
  const providerChart = helm.chart === 'csi-secrets-store-provider-azure';
  const install: CsiInstall = {
    namespace: helm.namespace,
    installer: providerChart ? 'provider-chart' : 'driver-chart',
    release: helm.release,
    syncSecret: helm.syncSecret,
    rotation: helm.rotation,
    ...(providerChart ? { providerChartVersion: helm.version } : { driverChartVersion: helm.version }),
  };
  const objects = csiObjects(install);
  for (const object of objects) {
    put(
      cluster,
      {
        ...object,
        metadata: {
          ...object.metadata,
          annotations: { 'meta.helm.sh/release-name': helm.release, 'meta.helm.sh/release-namespace': helm.namespace },
        },
      },
      now,
    );
  }
  const driverValues = {
    syncSecret: { enabled: helm.syncSecret },
    ...(helm.rotation ? { enableSecretRotation: true } : {}),
  };
  cluster.store.put(
    T.secret,
    releaseSecret({
      name: helm.release,
      namespace: helm.namespace,
      version: 1,
      status: 'deployed',
      chart: { name: helm.chart, version: helm.version, appVersion: helm.version },
      values: providerChart ? { 'secrets-store-csi-driver': driverValues } : driverValues,
      manifest: objects.map((object) => `---\n${stringify(object)}`).join(''),
      updated: new Date(now).toISOString(),
    }),
    now,
  );
}
