/**
 * Acceptance: `check` against sandbox worlds that each break one thing exits 1 and
 * names the cause and its fix, in text and in JSON; the healthy world exits 0.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addonIdentity, putAddon, requireCluster } from '../../source/azure/aks.js';
import { ROLE, assignRole, assignmentName, sdkScope } from '../../source/azure/roles.js';
import { vaultId } from '../../source/azure/vaults.js';
import { runCli } from '../cli/run-cli.js';
import { checkBoth, expectBroken, type JsonEvent } from './expect-broken.js';
import { RG, VAULT, installedOtherCloud, installedWorld, type InstalledWorld } from './installed-world.js';
import { preinstallDriver } from '../../source/sandbox/cluster/preinstall.js';
import { kubectl } from '../helpers/kube-tools.js';

let world: InstalledWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const signal = new AbortController().signal;

// First in the file: its two real propagation waits then overlap the other workers' busiest
// stretch, not another file's wait (the fault matrix's helm back-off comes at its end).
describe('feathr-kv-setup check while a role propagates', () => {
  it('role assignment not yet propagated: passes after the bounded wait', async () => {
    world = await installedWorld();
    const identity = addonIdentity(await requireCluster({ azure: world.azure, signal }, RG, 'feathr-aks'))!;
    const scope = vaultId(world.azure, RG, VAULT);
    const regrant = async () => {
      await world!.azure.authorization.roleAssignments.delete(
        sdkScope(scope),
        assignmentName(scope, identity.objectId!, ROLE.keyVaultSecretsUser),
      );
      // Long enough to outlast the checks that run before the mount (real kubectl/helm runs).
      world!.sandbox.state.rbacPropagationSeconds = 6;
      await assignRole({ azure: world!.azure, signal }, scope, identity.objectId!, ROLE.keyVaultSecretsUser);
    };
    await regrant();
    const text = await runCli(world.checkArgv('text'));
    expect(text.code, text.stdout).toBe(0);
    expect(text.stdout).toMatch(
      /√ the SecretProviderClass mounts every object, none empty: 3 object\(s\) mounted, none empty after \d+ s of role propagation/,
    );
    await regrant();
    const json = await runCli(world.checkArgv('json'));
    expect(json.code).toBe(0);
    const mount = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JsonEvent)
      .find((e) => e.id === 'mount.objects');
    expect(mount).toMatchObject({ status: 'pass', message: expect.stringMatching(/of role propagation/) });
  });
});

describe('feathr-kv-setup check', () => {
  it('exits 0 on a healthy install and shows every category', async () => {
    world = await installedWorld();
    const { text, json, events } = await checkBoth(world);
    expect(text.stderr).toBe('');
    expect(text.code, text.stdout).toBe(0);
    expect(text.stdout).toMatch(/^connectivity\n-{12}\n√ the probe pods run/m);
    expect(text.stdout).toContain('√ the SecretProviderClass mounts every object, none empty: 3 object(s) mounted');
    expect(text.stdout).toMatch(/√ Checks passed: /);
    expect(json.code).toBe(0);
    expect(events.at(-1)).toMatchObject({ type: 'result', ok: true, exitCode: 0 });
    expect(events.filter((e) => e.type === 'check.result' && e.status === 'fail')).toEqual([]);
    // No secret value anywhere in the output.
    expect(text.all + json.all).not.toMatch(/sandbox-conn-str|sandbox-redis-password/);
  });
});

describe('feathr-kv-setup check on broken worlds', () => {
  it('zone not linked to the AKS VNet', async () => {
    world = await installedWorld();
    await world.azure.privateDns.virtualNetworkLinks.beginDeleteAndWait(
      RG,
      'privatelink.vaultcore.azure.net',
      'aks-vnet-link',
      { updateIntervalInMs: 1 },
    );
    await expectBroken(world, [
      {
        id: 'network.dns-zone',
        cause: /isn't linked to VNet aks-vnet/,
        fix: /Link privatelink\.vaultcore\.azure\.net to VNet aks-vnet: az network private-dns link vnet create/,
      },
      {
        id: 'connectivity.pod-network',
        cause:
          /Can't reach vault feathr-kv-test from the cluster: it resolves to 20\.\d+\.\d+\.\d+, a public address\./,
        fix: /Link privatelink\.vaultcore\.azure\.net to VNet aks-vnet/,
      },
    ]);
  });

  it('peering only one way', async () => {
    world = await installedWorld();
    await world.azure.network.virtualNetworkPeerings.beginDeleteAndWait(RG, 'shared-vnet', 'shared-vnet-to-aks-vnet', {
      updateIntervalInMs: 1,
    });
    await expectBroken(world, [
      {
        id: 'network.peering',
        cause: /VNet shared-vnet has no peering to aks-vnet/,
        fix: /az network vnet peering create --resource-group feathr-rg --vnet-name shared-vnet .*--remote-vnet \S+aks-vnet/,
      },
      {
        id: 'connectivity.pod-network',
        cause: /can't open TCP 443 to vault feathr-kv-test at 10\.20\.1\.4/,
        fix: /Peer aks-vnet and shared-vnet in both directions/,
      },
    ]);
  });

  it('other cloud: healthy with both egress IPs allowed', async () => {
    world = await installedOtherCloud(['52.14.20.1', '52.14.20.2']);
    const run = await runCli(world.checkArgv('text'));
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(
      /√ pods resolve and reach the vault: feathr-kv-test\.vault\.azure\.net → 20\.\S+, TCP 443 and TLS work/,
    );
  });

  it('other cloud: egress IP missing from the allowlist', async () => {
    world = await installedOtherCloud(['52.14.20.2']);
    // The Feathr pod on the node whose address the firewall refuses stays ContainerCreating,
    // with the driver's FailedMount, as the real kubectl shows it.
    const pods = JSON.parse(
      await kubectl(world.sandbox, 'feathr-eks', [
        'get',
        'pods',
        '-n',
        'feathr',
        '-l',
        'app.kubernetes.io/instance=feathr-online',
        '-o',
        'json',
      ]),
    ).items;
    const stuck = pods.find((p: any) => p.spec.nodeName === 'ip-192-168-1-10.ec2.internal');
    expect(stuck?.status.containerStatuses[0].state.waiting.reason).toBe('ContainerCreating');
    const events = await kubectl(world.sandbox, 'feathr-eks', [
      'get',
      'events',
      '-n',
      'feathr',
      '--field-selector',
      `involvedObject.name=${stuck.metadata.name},reason=FailedMount`,
      '-o',
      'jsonpath={.items[*].message}',
    ]);
    expect(events).toContain('ForbiddenByFirewall');
    expect(events).toContain('Client address: 52.14.20.1');
    await expectBroken(world, [
      // Each node leaves through its own address: the check names the node the vault refuses.
      {
        id: 'connectivity.node-egress',
        cause:
          /node ip-192-168-1-10\.ec2\.internal egresses from 52\.14\.20\.1, which vault feathr-kv-test's firewall doesn't allow/,
        fix: /az keyvault network-rule add --name feathr-kv-test --ip-address 52\.14\.20\.1/,
      },
    ]);
  });

  it('role assignment missing', async () => {
    world = await installedWorld();
    const identity = addonIdentity(await requireCluster({ azure: world.azure, signal }, RG, 'feathr-aks'))!;
    const scope = vaultId(world.azure, RG, VAULT);
    await world.azure.authorization.roleAssignments.delete(
      sdkScope(scope),
      assignmentName(scope, identity.objectId!, ROLE.keyVaultSecretsUser),
    );
    await expectBroken(world, [
      {
        id: 'identity.role',
        cause: /has no Key Vault Secrets User role on vault feathr-kv-test/,
        fix: /az role assignment create --role "Key Vault Secrets User" --assignee-object-id \S+ .*--scope \/subscriptions\/.*\/vaults\/feathr-kv-test/,
      },
      {
        id: 'mount.objects',
        cause: /isn't allowed to read secrets in vault feathr-kv-test/,
        fix: /az role assignment create --role "Key Vault Secrets User"/,
      },
    ]);
  });

  it('CSI driver missing', async () => {
    world = await installedWorld();
    const ctx = { azure: world.azure, signal };
    await putAddon(ctx, RG, await requireCluster(ctx, RG, 'feathr-aks'), {
      enabled: false,
      enableSecretRotation: 'false',
      rotationPollInterval: '2m',
    });
    await expectBroken(world, [
      {
        id: 'cluster.csi-driver',
        cause: /CSIDriver secrets-store\.csi\.k8s\.io isn't registered/,
        fix: /^az aks enable-addons --addons azure-keyvault-secrets-provider --resource-group feathr-rg --name feathr-aks$/,
      },
      { id: 'mount.objects', cause: /CSI driver isn't registered on the node/, fix: /az aks enable-addons/ },
    ]);
  });

  it('sync disabled (a driver installed without syncSecret)', async () => {
    world = await installedWorld();
    const ctx = { azure: world.azure, signal };
    await putAddon(ctx, RG, await requireCluster(ctx, RG, 'feathr-aks'), {
      enabled: false,
      enableSecretRotation: 'false',
      rotationPollInterval: '2m',
    });
    const cluster = world.sandbox.state.clusters.get('feathr-aks')!;
    // The driver someone installed by hand, without sync; the identity stays on the nodes.
    preinstallDriver(cluster, { other: { syncSecret: false, rotation: false } }, Date.now());
    cluster.nodeIdentityClientIds.push(world.addonClientId);
    // What the add-on synced before is gone (pods restarted); nothing syncs it again.
    await world.kube.deleteObject('Secret', 'feathr', 'feathr-online-secrets');
    await expectBroken(world, [
      {
        id: 'cluster.csi-sync',
        cause: /Secret sync is off/,
        fix: /secrets-store-csi-driver\.syncSecret\.enabled=true|secretprovidersyncing-role/,
      },
      {
        id: 'mount.synced-secret',
        cause:
          /Secret feathr-online-secrets doesn't exist in namespace feathr.*can't create the synced Kubernetes Secret/,
        fix: /syncSecret\.enabled=true|secretprovidersyncing-role/,
      },
    ]);
  });

  it('a mapped secret missing from the vault', async () => {
    world = await installedWorld();
    world.sandbox.state.vaultSecrets.get(VAULT)!.delete('redis-password');
    await expectBroken(world, [
      {
        id: 'mount.vault-secrets',
        cause: /has no secret REDIS-PASSWORD \(for REDIS_PASSWORD\)/,
        fix: /az keyvault secret set --vault-name feathr-kv-test --name REDIS-PASSWORD --file/,
      },
      {
        id: 'mount.objects',
        cause: /Secret REDIS-PASSWORD doesn't exist in vault feathr-kv-test/,
        fix: /--name REDIS-PASSWORD/,
      },
    ]);
  });

  it('an empty secret', async () => {
    world = await installedWorld();
    const record = world.sandbox.state.vaultSecrets.get(VAULT)!.get('conn-str')!;
    record.versions.at(-1)!.value = '';
    await expectBroken(world, [
      {
        id: 'mount.objects',
        cause: /Secret CONN-STR in vault feathr-kv-test is empty/,
        fix: /az keyvault secret set --vault-name feathr-kv-test --name CONN-STR --file/,
      },
    ]);
  });

  it('wrong identity client id', async () => {
    world = await installedWorld();
    await world.installRelease({ clientId: '11111111-2222-4333-8444-555555555555' });
    await expectBroken(world, [
      {
        id: 'identity.client-id',
        cause: /uses client id 11111111-2222-4333-8444-555555555555, but the add-on identity is/,
        fix: /keyVault\.identity\.clientId=[0-9a-f-]{36}/,
      },
      { id: 'mount.objects', cause: /isn't attached to the nodes/, fix: /keyVault\.identity\.clientId=/ },
    ]);
  });
});
