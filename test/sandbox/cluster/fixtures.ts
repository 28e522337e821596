/** Shared pieces of the cluster tests: the chart, its values, an SPC manifest, the port. */
import path from 'node:path';
import type { FeathrChartValues } from '../../../source/kube/feathr-values.js';
import type { KubectlHelmAdapter } from '../../../source/kube/kubectl-helm-adapter.js';
import { sandboxPort } from '../../helpers/kube-tools.js';
import type { RunningSandbox } from '../../../source/sandbox/start.js';

export const CHART_DIR = path.resolve(import.meta.dirname, '../../../charts/feathr-online');
export const SECRETS = { 'FEATHRCI-HOST': 'sandbox-host-value', 'CONN-STR': 'sandbox-conn-value' } as const;
export const MAPPING = [
  { env: 'FEATHRCI_HOST', vaultName: 'FEATHRCI-HOST' },
  { env: 'CONN_STR', vaultName: 'CONN-STR' },
];

export function port(sandbox: RunningSandbox, context: string): KubectlHelmAdapter {
  return sandboxPort(sandbox, context);
}

export function feathrValues(
  vault: string,
  tenantId: string,
  identity: FeathrChartValues['keyVault']['identity'],
): FeathrChartValues {
  return {
    replicaCount: 1,
    serviceAccount: { create: true, name: 'feathr-online' },
    keyVault: { name: vault, tenantId, identity, secrets: MAPPING },
  };
}

export function spcManifest(
  namespace: string,
  name: string,
  vault: string,
  tenantId: string,
  identity: Record<string, string>,
): string {
  const objects = MAPPING.map(
    (entry) =>
      `    - |\n      objectName: ${entry.vaultName}\n      objectType: secret\n      objectAlias: ${entry.env}`,
  ).join('\n');
  return [
    'apiVersion: secrets-store.csi.x-k8s.io/v1',
    'kind: SecretProviderClass',
    `metadata: { name: ${name}, namespace: ${namespace}, labels: { app.kubernetes.io/managed-by: feathr-kv-setup } }`,
    'spec:',
    '  provider: azure',
    '  parameters:',
    `    keyvaultName: ${vault}`,
    `    tenantID: "${tenantId}"`,
    ...Object.entries(identity).map(([key, value]) => `    ${key}: "${value}"`),
    '    objects: |',
    '      array:',
    objects.replace(/^/gm, '      '),
    '  secretObjects:',
    `    - secretName: ${name}-synced`,
    '      type: Opaque',
    '      data:',
    ...MAPPING.map((entry) => `        - { objectName: ${entry.env}, key: ${entry.env} }`),
  ].join('\n');
}

export const PROVIDER_INSTALL = (syncSecret: boolean, repoUrl: string) => ({
  repoUrl,
  release: 'csi',
  namespace: 'kube-system',
  chart: 'csi-secrets-store-provider-azure',
  version: '1.8.2',
  values: { 'secrets-store-csi-driver': { syncSecret: { enabled: syncSecret }, enableSecretRotation: true } },
  wait: true,
  timeoutSeconds: 300,
});
