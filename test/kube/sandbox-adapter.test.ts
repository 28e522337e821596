import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { ExternalCommandError } from '../../source/kernel/errors.js';
import type { RunningSandbox } from '../../source/sandbox/start.js';
import { SERVICE_PRINCIPAL } from '../../source/sandbox/world/default-world.js';
import { httpsJson, startWorld, vaultId } from '../sandbox/keyvault/world.js';
import { CHART_DIR, PROVIDER_INSTALL, SECRETS, feathrValues, port } from '../sandbox/cluster/fixtures.js';

const VAULT = 'feathr-kv-eks';

describe('SandboxKubePort over the sandbox HTTPS API (feathr-eks, service principal)', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startWorld({
      vaults: [{ name: VAULT, resourceGroup: 'feathr-rg', secrets: { ...SECRETS } }],
      roleAssignments: [{ principal: SERVICE_PRINCIPAL.name, role: 'Key Vault Secrets User', scope: vaultId(VAULT) }],
    });
    (sandbox.state.resources.get(vaultId(VAULT).toLowerCase())!.properties as Record<string, unknown>).networkAcls = {
      defaultAction: 'Deny',
      bypass: 'None',
      ipRules: [{ value: '52.14.20.1/32' }, { value: '52.14.20.2/32' }],
    };
  });
  afterAll(() => sandbox?.close());

  it('reads the legacy Secret (values only in the body) and manages namespaces and Secrets', async () => {
    const kube = port(sandbox, 'feathr-eks');
    const legacy = await kube.readSecret('legacy', 'feathr-online-secret');
    expect(Object.keys(legacy!).sort()).toEqual([
      'CONN_STR',
      'COSMOS_ACCOUNT',
      'COSMOS_API_KEY',
      'COSMOS_DATABASE',
      'FEATHRCI_HOST',
      'FEATHRCI_PASS',
      'FEATHRCI_TABLE',
      'IPGEOLOCATION_APIKEY',
    ]);
    expect(await kube.namespaceExists('feathr')).toBe(false);
    expect(await kube.ensureNamespace('feathr', { team: 'ml' })).toBe('created');
    expect(await kube.ensureNamespace('feathr')).toBe('exists');
    await kube.applySecret(
      'feathr',
      'secrets-store-creds',
      { clientid: '00000000-0000-0000-0000-00000000b002', clientsecret: SERVICE_PRINCIPAL.clientSecret },
      { 'secrets-store.csi.k8s.io/used': 'true' },
    );
    expect(await kube.secretKeys('feathr', 'secrets-store-creds')).toEqual(['clientid', 'clientsecret']);
    expect(await kube.listLabelled('secret', 'secrets-store.csi.k8s.io/used=true', 'feathr')).toEqual([
      {
        kind: 'Secret',
        namespace: 'feathr',
        name: 'secrets-store-creds',
        labels: { 'secrets-store.csi.k8s.io/used': 'true' },
      },
    ]);
    const paths = sandbox.state.requestLog.filter((entry) => entry.plane === 'cluster').map((entry) => entry.path);
    expect(paths.join('\n')).not.toContain(SERVICE_PRINCIPAL.clientSecret);
    expect(await kube.readSecret('feathr', 'nope')).toBeNull();
    kube.close();
  });

  it('installs the provider chart once, refuses a second driver, and reports its state', async () => {
    const kube = port(sandbox, 'feathr-eks');
    expect((await kube.csiDriverState()).installedBy).toBe('none');
    await expect(kube.helmUpgradeInstall(PROVIDER_INSTALL(true))).resolves.toMatchObject({
      name: 'csi',
      status: 'deployed',
      revision: 1,
      chart: 'csi-secrets-store-provider-azure-1.8.2',
    });
    const csi = await kube.csiDriverState();
    expect(csi).toMatchObject({
      installedBy: 'helm',
      driverRegistered: true,
      syncSecretEnabled: true,
      rotationEnabled: true,
      helmRelease: { name: 'csi', namespace: 'kube-system' },
    });
    const second = await kube
      .helmUpgradeInstall({ ...PROVIDER_INSTALL(true), release: 'csi-again' })
      .catch((caught) => caught);
    expect(second).toBeInstanceOf(ExternalCommandError);
    expect(second.message).toContain(
      'ClusterRole "secretproviderclasses-admin-role" in namespace "" exists and cannot be imported',
    );
    kube.close();
  });

  it('installs feathr-online: SPC, ServiceAccount, synced Secret with env keys; the probe mounts and hashes', async () => {
    const kube = port(sandbox, 'feathr-eks');
    const values = feathrValues(VAULT, sandbox.tenantId, {
      mode: 'servicePrincipal',
      nodePublishSecretRef: 'secrets-store-creds',
    });
    const release = await kube.helmUpgradeInstall({
      release: 'feathr-online',
      namespace: 'feathr',
      chart: CHART_DIR,
      values,
      wait: true,
      timeoutSeconds: 300,
      atomic: true,
    });
    expect(release).toMatchObject({ status: 'deployed', revision: 1, chart: 'feathr-online-0.1.0' });
    const spc = await kube.getSecretProviderClass('feathr', 'feathr-online-kv');
    expect((spc as any).spec.parameters.keyvaultName).toBe(VAULT);
    expect(await kube.readSecret('feathr', 'feathr-online-secrets')).toEqual({
      FEATHRCI_HOST: SECRETS['FEATHRCI-HOST'],
      CONN_STR: SECRETS['CONN-STR'],
    });
    expect(await kube.helmValues('feathr-online', 'feathr')).toEqual(values);
    const probe = await kube.runProbe({
      namespace: 'feathr',
      hostNetwork: true,
      vaultName: VAULT,
      secretProviderClass: 'feathr-online-kv',
      nodePublishSecretRef: 'secrets-store-creds',
      expectedObjects: ['CONN_STR', 'FEATHRCI_HOST'],
    });
    expect(probe).toMatchObject({ tcp443: true, tls: true, vaultStatus: 200, cleanedUp: true, mount: { ok: true } });
    expect(probe.mount!.objects.find((object) => object.alias === 'CONN_STR')).toEqual({
      alias: 'CONN_STR',
      state: 'mounted',
      sha256: createHash('sha256').update(SECRETS['CONN-STR']).digest('hex'),
    });
    expect(probe.podName).toMatch(/^feathr-kv-probe-/);
    kube.close();
  });

  it('fails an upgrade while the release is pending, then rolls back and uninstalls', async () => {
    const kube = port(sandbox, 'feathr-eks');
    const status = await httpsJson(sandbox, 'PUT', '/_sandbox/k8s/feathr-eks/helm/feathr/feathr-online/status', {
      token: sandbox.tokenFor('operator'),
      body: { status: 'pending-upgrade' },
    });
    expect(status.body.release.status).toBe('pending-upgrade');
    const values = feathrValues(VAULT, sandbox.tenantId, {
      mode: 'servicePrincipal',
      nodePublishSecretRef: 'secrets-store-creds',
    });
    const blocked = await kube
      .helmUpgradeInstall({
        release: 'feathr-online',
        namespace: 'feathr',
        chart: CHART_DIR,
        values,
        wait: true,
        timeoutSeconds: 60,
      })
      .catch((caught) => caught);
    expect(blocked).toBeInstanceOf(ExternalCommandError);
    expect(blocked.message).toBe('Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress');
    expect(blocked.command).toBe('helm');
    await httpsJson(sandbox, 'PUT', '/_sandbox/k8s/feathr-eks/helm/feathr/feathr-online/status', {
      token: sandbox.tokenFor('operator'),
      body: { status: 'deployed' },
    });
    await kube.helmUpgradeInstall({
      release: 'feathr-online',
      namespace: 'feathr',
      chart: CHART_DIR,
      values: { ...values, replicaCount: 2 },
      wait: true,
      timeoutSeconds: 60,
    });
    await kube.helmRollback('feathr-online', 'feathr');
    expect(await kube.helmStatus('feathr-online', 'feathr')).toMatchObject({ revision: 3, status: 'deployed' });
    expect((await kube.helmValues('feathr-online', 'feathr'))!.replicaCount).toBe(1);
    expect(await kube.helmUninstall('feathr-online', 'feathr')).toBe('uninstalled');
    expect(await kube.helmStatus('feathr-online', 'feathr')).toBeNull();
    expect(await kube.getSecretProviderClass('feathr', 'feathr-online-kv')).toBeNull();
    expect(await kube.helmUninstall('feathr-online', 'feathr')).toBe('absent');
    kube.close();
  });

  it('refuses a caller without the operator token and an unknown context', async () => {
    const anonymous = await httpsJson(sandbox, 'GET', '/_sandbox/k8s/feathr-eks/reachability');
    expect(anonymous.status).toBe(401);
    const kube = port(sandbox, 'no-such-context');
    expect(await kube.reachability()).toMatchObject({ reachable: false });
    await expect(kube.namespaceExists('default')).rejects.toThrow('context "no-such-context" does not exist');
    kube.close();
  });
});
