import { describe, expect, it } from 'vitest';
import { UserError } from '../../source/kernel/errors.js';
import { buildChartValues, type ChartValuesInput } from '../../source/kube/values-builder.js';

const base: ChartValuesInput = {
  vaultName: 'feathr-kv-demo',
  tenantId: '00000000-0000-0000-0000-0000000000aa',
  identity: { mode: 'aks-addon', clientId: '11111111-2222-3333-4444-555555555555' },
  mapping: [{ env: 'CONN_STR', vaultName: 'CONN-STR' }],
};

describe('buildChartValues', () => {
  it('builds each identity mode', () => {
    expect(buildChartValues(base).keyVault.identity).toEqual({
      mode: 'vmManagedIdentity',
      clientId: '11111111-2222-3333-4444-555555555555',
    });
    const wi = buildChartValues({
      ...base,
      identity: {
        mode: 'workload-identity',
        clientId: '11111111-2222-3333-4444-555555555555',
        serviceAccountName: 'feathr-online',
      },
    });
    expect(wi.keyVault.identity).toEqual({
      mode: 'workloadIdentity',
      clientId: '11111111-2222-3333-4444-555555555555',
    });
    expect(wi.serviceAccount).toEqual({ create: true, name: 'feathr-online' });
    expect(buildChartValues({ ...base, identity: { mode: 'service-principal' } }).keyVault.identity).toEqual({
      mode: 'servicePrincipal',
      nodePublishSecretRef: 'secrets-store-creds',
    });
  });

  it('keeps the operator values, ours win on keyVault, labels and rotation token added', () => {
    const values = buildChartValues({
      ...base,
      extra: { replicaCount: 2, keyVault: { name: 'other' } },
      labels: { 'app.kubernetes.io/created-by': 'feathr-kv-setup' },
      rotationToken: 't1',
    });
    expect(values).toEqual({
      replicaCount: 2,
      keyVault: {
        name: 'feathr-kv-demo',
        tenantId: base.tenantId,
        identity: { mode: 'vmManagedIdentity', clientId: '11111111-2222-3333-4444-555555555555' },
        secrets: [{ env: 'CONN_STR', vaultName: 'CONN-STR' }],
      },
      commonLabels: { 'app.kubernetes.io/created-by': 'feathr-kv-setup' },
      rotation: { restartOnChange: true, token: 't1' },
    });
  });

  it.each<[string, Partial<ChartValuesInput>, string]>([
    ['an invalid vault name', { vaultName: 'kv' }, '"kv" isn\'t a valid vault name.'],
    [
      'a tenant that is not a GUID',
      { tenantId: 'contoso.onmicrosoft.com' },
      'The tenant id "contoso.onmicrosoft.com" isn\'t a GUID.',
    ],
    [
      'a client id that is not a GUID',
      { identity: { mode: 'workloadIdentity', clientId: 'feathr' } },
      'The identity\'s client id "feathr" isn\'t a GUID.',
    ],
    ['an empty mapping', { mapping: [] }, 'The secret mapping is empty: nothing would be mounted.'],
    [
      'an underscore in a vault name',
      { mapping: [{ env: 'CONN_STR', vaultName: 'CONN_STR' }] },
      '"CONN_STR" isn\'t a valid Key Vault secret name.',
    ],
    [
      'a bad env name',
      { mapping: [{ env: 'CONN-STR', vaultName: 'CONN-STR' }] },
      "The secret name \"CONN-STR\" has '-', which an environment variable name can't hold (only A-Z, a-z, 0-9 and _, not starting with a digit).",
    ],
    [
      'a case-insensitive collision',
      {
        mapping: [
          { env: 'CONN_STR', vaultName: 'CONN-STR' },
          { env: 'conn_str', vaultName: 'conn-str' },
        ],
      },
      'CONN_STR and conn_str both map to vault secret conn-str (names are case-insensitive in Key Vault).',
    ],
  ])('refuses %s', (_name, change, message) => {
    const error = (() => {
      try {
        buildChartValues({ ...base, ...change });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(message);
    expect((error as UserError).hint).toBeTruthy();
  });
});
