import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalCommandError } from '../../../source/kernel/errors.js';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { SERVICE_PRINCIPAL } from '../../../source/sandbox/world/default-world.js';
import { legacyFeathrSecretData } from '../../../source/sandbox/cluster/default-clusters.js';
import { httpsJson, startWorld, vaultId } from '../keyvault/world.js';
import { kubectl } from '../../helpers/kube-tools.js';
import { addSecretVersion } from '../../../source/sandbox/keyvault/secret-store.js';
import { CHART_DIR, PROVIDER_INSTALL, SECRETS, feathrValues, port } from './fixtures.js';

const VAULT = 'feathr-kv-sync';

describe('secret sync needs syncSecret; describe never shows a value', () => {
  let sandbox: RunningSandbox;
  // The sandbox's clock, moved on by hand to the driver's next rotation tick.
  let skewMs = 0;
  beforeAll(async () => {
    sandbox = await startWorld(
      {
        vaults: [{ name: VAULT, resourceGroup: 'feathr-rg', secrets: { ...SECRETS } }],
        roleAssignments: [{ principal: SERVICE_PRINCIPAL.name, role: 'Key Vault Secrets User', scope: vaultId(VAULT) }],
      },
      { now: () => Date.now() + skewMs },
    );
  });
  afterAll(() => sandbox?.close());

  it('a provider chart without syncSecret mounts but never creates the Secret, so feathr-online fails to start', async () => {
    const kube = port(sandbox, 'feathr-eks');
    await kube.helmUpgradeInstall(PROVIDER_INSTALL(false, sandbox.chartRepo));
    expect((await kube.csiDriverState()).syncSecretEnabled).toBe(false);
    await kube.ensureNamespace('feathr');
    await kube.applySecret(
      'feathr',
      'secrets-store-creds',
      { clientid: '00000000-0000-0000-0000-00000000b002', clientsecret: SERVICE_PRINCIPAL.clientSecret },
      { 'secrets-store.csi.k8s.io/used': 'true' },
    );
    const values = feathrValues(VAULT, sandbox.tenantId, {
      mode: 'servicePrincipal',
      nodePublishSecretRef: 'secrets-store-creds',
    });
    const failed = await kube
      .helmUpgradeInstall({
        release: 'feathr-online',
        namespace: 'feathr',
        chart: CHART_DIR,
        values,
        wait: true,
        timeoutSeconds: 2,
      })
      .catch((caught: any) => caught);
    expect(failed).toBeInstanceOf(ExternalCommandError);
    expect(failed.message).toBe('helm upgrade failed: Error: context deadline exceeded');
    expect(await kube.helmStatus('feathr-online', 'feathr')).toMatchObject({ status: 'failed', revision: 1 });
    expect(await kube.readSecret('feathr', 'feathr-online-secrets')).toBeNull();
    // The driver can't read or create Secrets: it says so in its own log, not in an event.
    const driverPods = (
      await kubectl(sandbox, 'feathr-eks', [
        'get',
        'pods',
        '-n',
        'kube-system',
        '-l',
        'app=secrets-store-csi-driver',
        '-o',
        'name',
      ])
    ).split('\n');
    const logs = await Promise.all(
      driverPods.map((pod) =>
        kubectl(sandbox, 'feathr-eks', ['logs', pod, '-n', 'kube-system', '-c', 'secrets-store']),
      ),
    );
    expect(logs.join('\n')).toContain('ensure syncSecret.enabled=true is set');
    const events = await kube.warningEvents('feathr');
    expect(events.map((event: any) => event.message)).toContain('Error: secret "feathr-online-secrets" not found');

    await kube.helmUpgradeInstall(PROVIDER_INSTALL(true, sandbox.chartRepo));
    await expect(
      kube.helmUpgradeInstall({
        release: 'feathr-online',
        namespace: 'feathr',
        chart: CHART_DIR,
        values,
        wait: true,
        timeoutSeconds: 60,
      }),
    ).resolves.toMatchObject({ status: 'deployed', revision: 2 });
    expect(Object.keys((await kube.readSecret('feathr', 'feathr-online-secrets'))!).sort()).toEqual([
      'CONN_STR',
      'FEATHRCI_HOST',
    ]);
    // Rotation (on in this driver, every 2m, the chart's default): a new version in the vault
    // reaches the synced Secret at the driver's next tick, not at once. Read with kubectl itself:
    // the port keeps what it read for a few seconds, and this change came from outside it.
    addSecretVersion(sandbox.state, VAULT, 'CONN-STR', 'sandbox-conn-rotated', {
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    const syncedConnStr = async () => {
      const synced = JSON.parse(
        await kubectl(sandbox, 'feathr-eks', ['get', 'secret', 'feathr-online-secrets', '-n', 'feathr', '-o', 'json']),
      ) as { data: Record<string, string> };
      return Buffer.from(synced.data.CONN_STR!, 'base64').toString('utf8');
    };
    expect(await syncedConnStr()).toBe('sandbox-conn-value');
    skewMs += 120_000;
    expect(await syncedConnStr()).toBe('sandbox-conn-rotated');
  });

  it('GET /_sandbox/cluster lists names, keys, SPCs, releases and the driver, and no secret value (canary)', async () => {
    const canary = 'canary-value-that-must-never-leak-7f3a';
    await port(sandbox, 'feathr-aks').applySecret('legacy', 'canary', { CANARY: canary }, {});
    const response = await httpsJson(sandbox, 'GET', '/_sandbox/cluster', { token: sandbox.tokenFor('operator') });
    expect(response.status).toBe(200);
    const text = JSON.stringify(response.body);
    for (const value of [
      canary,
      ...Object.values(SECRETS),
      ...Object.values(legacyFeathrSecretData()),
      SERVICE_PRINCIPAL.clientSecret,
    ]) {
      expect(text).not.toContain(value);
    }
    const eks = response.body.clusters.find((cluster: any) => cluster.context === 'feathr-eks');
    const feathr = eks.namespaces.find((namespace: any) => namespace.name === 'feathr');
    expect(feathr.secrets.find((secret: any) => secret.name === 'feathr-online-secrets').keys).toEqual([
      'CONN_STR',
      'FEATHRCI_HOST',
    ]);
    expect(feathr.secretProviderClasses[0].name).toBe('feathr-online-kv');
    expect(eks.helmReleases.find((release: any) => release.name === 'feathr-online')).toMatchObject({
      status: 'deployed',
      revision: 2,
    });
    expect(eks.csiDriver).toMatchObject({
      installedBy: 'helm',
      syncSecretEnabled: true,
      driverRegistered: true,
      nodes: [
        { driverReady: true, providerReady: true, syncSecret: true },
        { driverReady: true, providerReady: true, syncSecret: true },
      ],
    });
    const aks = response.body.clusters.find((cluster: any) => cluster.context === 'feathr-aks');
    expect(
      aks.namespaces
        .find((namespace: any) => namespace.name === 'legacy')
        .secrets.find((secret: any) => secret.name === 'canary').keys,
    ).toEqual(['CANARY']);
    expect(aks.oidcIssuer).toMatch(/^https:\/\//);
    expect(eks.oidcIssuer).toBe('https://oidc.sandbox.test/feathr-eks');
  });
});
