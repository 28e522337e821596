/**
 * What our chart `charts/feathr-online` renders, interpreted from its values (the same keys as
 * source/kube/feathr-values.ts and the chart's templates): the SecretProviderClass, the
 * ServiceAccount, and the pod template the Deployment starts (CSI volume + env from the synced
 * Secret). Names follow the chart's helpers (fullname, `<fullname>-kv`, `<fullname>-secrets`).
 */
import { stringify } from 'yaml';
import type { ChartValuesRead } from './wire.js';
import type { KubeObject } from './state.js';

export interface ChartMeta {
  name: string;
  version: string;
  appVersion?: string;
}

export interface FeathrPodTemplate {
  serviceAccount: string;
  labels: Record<string, string>;
  spcName: string;
  syncedSecretName: string;
  nodePublishSecretRef?: string;
  replicas: number;
}

export function isFeathrChart(meta: ChartMeta, values: Record<string, unknown>): boolean {
  return meta.name === 'feathr-online' || typeof values.keyVault === 'object';
}

export function renderFeathrChart(
  release: string,
  namespace: string,
  meta: ChartMeta,
  raw: Record<string, unknown>,
): { objects: KubeObject[]; pod: FeathrPodTemplate } {
  const values = raw as ChartValuesRead;
  const kv = values.keyVault ?? {};
  const identity = kv.identity ?? {};
  const fullname = (release.includes(meta.name) ? release : `${release}-${meta.name}`).slice(0, 63).replace(/-+$/, '');
  const labels: Record<string, string> = {
    'helm.sh/chart': `${meta.name}-${meta.version}`,
    'app.kubernetes.io/name': meta.name,
    'app.kubernetes.io/instance': release,
    'app.kubernetes.io/version': meta.appVersion ?? '',
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/part-of': 'feathr',
    ...((values.commonLabels as Record<string, string> | undefined) ?? {}),
  };
  const spcName = kv.secretProviderClassName || `${fullname}-kv`;
  const syncedSecretName = kv.syncedSecretName || `${fullname}-secrets`;
  const serviceAccount = values.serviceAccount?.name || fullname;
  const secrets = kv.secrets ?? [];
  const parameters: Record<string, string> = { keyvaultName: kv.name ?? '', tenantID: kv.tenantId ?? '' };
  if (kv.cloudName) parameters.cloudName = kv.cloudName;
  if (identity.mode === 'vmManagedIdentity')
    Object.assign(parameters, { useVMManagedIdentity: 'true', userAssignedIdentityID: identity.clientId ?? '' });
  if (identity.mode === 'workloadIdentity') parameters.clientID = identity.clientId ?? '';
  parameters.objects = stringify({
    array: secrets.map((secret) =>
      stringify({ objectName: secret.vaultName, objectType: 'secret', objectAlias: secret.env }),
    ),
  });
  const metadata = (name: string, annotations?: Record<string, string>) => ({
    name,
    namespace,
    labels: { ...labels },
    ...(annotations ? { annotations } : {}),
  });
  const objects: KubeObject[] = [
    {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: metadata(spcName),
      spec: {
        provider: 'azure',
        parameters,
        secretObjects: [
          {
            secretName: syncedSecretName,
            type: 'Opaque',
            labels: { ...labels },
            data: secrets.map((secret) => ({ objectName: secret.env, key: secret.env })),
          },
        ],
      },
    },
  ];
  if (values.serviceAccount?.create !== false) {
    const annotations = { ...(values.serviceAccount?.annotations ?? {}) };
    if (identity.mode === 'workloadIdentity' && identity.clientId)
      annotations['azure.workload.identity/client-id'] = identity.clientId;
    objects.push({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: metadata(serviceAccount, Object.keys(annotations).length ? annotations : undefined),
    });
  }
  objects.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(fullname),
    spec: { replicas: values.replicaCount ?? 1, template: { spec: { serviceAccountName: serviceAccount } } },
  });
  return {
    objects,
    pod: {
      serviceAccount,
      labels: { ...labels, ...(identity.mode === 'workloadIdentity' ? { 'azure.workload.identity/use': 'true' } : {}) },
      spcName,
      syncedSecretName,
      nodePublishSecretRef: identity.mode === 'servicePrincipal' ? identity.nodePublishSecretRef : undefined,
      replicas: typeof values.replicaCount === 'number' ? values.replicaCount : 1,
    },
  };
}
