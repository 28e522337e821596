/**
 * Acceptance, the preflight checks on broken worlds: address-space overlap, a vault
 * name held by a soft-deleted vault, an operator without a permission the plan needs (judged
 * by the permissions API), and no rights in the Feathr namespace. Each breaks one thing in an
 * installed world and runs the real `check` in text and JSON.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { assignRole, sdkScope } from '../../source/azure/roles.js';
import { runCli } from '../cli/run-cli.js';
import { checkBoth, expectBroken } from './expect-broken.js';
import { RG, VAULT, installedWorld, type InstalledWorld } from './installed-world.js';

let world: InstalledWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const signal = new AbortController().signal;
const BUILT_IN = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
};

/** Gives the operator `role` on the subscription instead of Owner, through ARM as an Owner would. */
async function demoteOperator(w: InstalledWorld, role: string): Promise<void> {
  const subscription = `/subscriptions/${w.sandbox.subscriptionId}`;
  const operatorId = w.sandbox.state.operatorId;
  await assignRole({ azure: w.azure, signal }, subscription, operatorId, role, 'User');
  for await (const a of w.azure.authorization.roleAssignments.listForScope(sdkScope(subscription))) {
    if (a.principalId === operatorId && a.roleDefinitionId?.endsWith(BUILT_IN.owner) && a.scope === subscription) {
      await w.azure.authorization.roleAssignments.delete(sdkScope(subscription), a.name!);
    }
  }
}

describe('check: address spaces', () => {
  it('fails when the endpoint VNet overlaps the AKS VNet, naming a free address space', async () => {
    world = await installedWorld();
    const preset = world.writePreset(
      'overlap.yaml',
      world.presetText.replace(
        'vnet: shared-vnet, subnet: kv-endpoints, addressPrefix: 10.20.1.0/24',
        'vnet: overlap-vnet, subnet: kv-endpoints, addressPrefix: 10.10.1.0/24',
      ),
    );
    await expectBroken(
      world,
      [
        {
          id: 'inputs.address-space',
          cause:
            /AKS VNet aks-vnet \(10\.10\.0\.0\/16\) overlaps VNet overlap-vnet \(10\.10\.0\.0\/16\), so they can't be peered\./,
          fix: /az network vnet create --resource-group feathr-rg --name feathr-kv-test-vnet --address-prefixes 10\.1\.0\.0\/16 --location eastus, then set network\.privateEndpoint\.vnet: feathr-kv-test-vnet and network\.privateEndpoint\.addressPrefix: 10\.1\.1\.0\/24/,
        },
      ],
      preset,
    );
  });

  it('fails when the endpoint VNet overlaps a VNet already peered with the AKS VNet', async () => {
    world = await installedWorld();
    // Same range as shared-vnet, which aks-vnet is peered with: Azure would refuse the peering.
    await world.azure.network.virtualNetworks.beginCreateOrUpdateAndWait(
      RG,
      'spoke-vnet',
      { location: 'eastus', addressSpace: { addressPrefixes: ['10.20.0.0/16'] } },
      { updateIntervalInMs: 1 },
    );
    const preset = world.writePreset(
      'spoke.yaml',
      world.presetText.replace(
        'vnet: shared-vnet, subnet: kv-endpoints, addressPrefix: 10.20.1.0/24',
        'vnet: spoke-vnet, subnet: kv-endpoints, addressPrefix: 10.20.1.0/24',
      ),
    );
    await expectBroken(
      world,
      [
        {
          id: 'inputs.address-space',
          cause:
            /VNet spoke-vnet \(10\.20\.0\.0\/16\) overlaps shared-vnet \(10\.20\.0\.0\/16\), already peered with aks-vnet/,
          // 10.0.0.0/16 is the cluster's service range; 10.1.0.0/16 is free of it and of aks-vnet, shared-vnet and spoke-vnet.
          fix: /--address-prefixes 10\.1\.0\.0\/16 .*network\.privateEndpoint\.vnet: feathr-kv-test-vnet/,
        },
      ],
      preset,
    );
  });
});

describe('check: vault name', () => {
  it('fails on a name held by the soft-deleted vault feathr-kv-old, and passes once vault.recover is set', async () => {
    world = await installedWorld();
    const taken = world.presetText.replace(
      `vault: { name: ${VAULT}, create: true,`,
      'vault: { name: feathr-kv-old, create: true,',
    );
    expect(taken).not.toBe(world.presetText);
    await expectBroken(
      world,
      [
        {
          id: 'inputs.vault-name',
          cause:
            /Vault feathr-kv-old is soft-deleted \(purge scheduled \S+\), so its name can't be reused until it's recovered or purged\./,
          fix: /Set vault\.recover: true to recover it, or pick another vault\.name(, or purge it: az keyvault purge --name feathr-kv-old| \(purge protection is on)/,
        },
      ],
      world.writePreset('old.yaml', taken),
    );
    const recover = world.writePreset('recover.yaml', taken.replace('create: true,', 'create: true, recover: true,'));
    const { events } = await checkBoth(world, recover);
    expect(events.find((e) => e.id === 'inputs.vault-name')).toMatchObject({
      status: 'pass',
      message: 'soft-deleted vault feathr-kv-old will be recovered (vault.recover: true)',
    });
  });
});

describe('check: operator permissions, from the permissions API', () => {
  it('names the one action a Contributor lacks (role assignments), not role names', async () => {
    world = await installedWorld();
    await demoteOperator(world, BUILT_IN.contributor);
    const failed = await expectBroken(world, [
      {
        id: 'permissions.plan',
        cause: /Your account isn't allowed to: Microsoft\.Authorization\/roleAssignments\/write on feathr-rg\./,
        fix: /az role assignment create --role "Role Based Access Control Administrator" --assignee-object-id \S+ --assignee-principal-type User --scope \/subscriptions\/00000000-0000-0000-0000-00000000feed\/resourceGroups\/feathr-rg/,
      },
    ]);
    expect(failed).toEqual(['permissions.plan']);
  });

  it('names every write a Reader lacks and the grants that cover them', async () => {
    world = await installedWorld();
    await demoteOperator(world, BUILT_IN.reader);
    const { events } = await checkBoth(world);
    const permissions = events.find((e) => e.id === 'permissions.plan')!;
    expect(permissions.status).toBe('fail');
    for (const action of [
      'Microsoft.KeyVault/vaults/write',
      'Microsoft.Authorization/roleAssignments/write',
      'Microsoft.Network/privateEndpoints/write',
      'Microsoft.Network/virtualNetworks/peer/action',
      'Microsoft.ContainerService/managedClusters/write',
    ]) {
      expect(permissions.message).toContain(`${action} on feathr-rg`);
    }
    expect(permissions.message).not.toMatch(/vaults\/read/);
    expect(permissions.hint).toMatch(
      /--role "Contributor" .* && az role assignment create --role "Role Based Access Control Administrator"/,
    );
    expect(events.at(-1)).toMatchObject({ type: 'result', ok: false, exitCode: 1 });
  });
});

describe('check: rights in the Feathr namespace', () => {
  it('fails naming exactly what the operator may not create, with the rolebinding that fixes it', async () => {
    world = await installedWorld();
    world.sandbox.state.clusters.get('feathr-aks')!.access.rbacDenials = [
      { verb: 'create', resource: 'secrets', namespace: 'feathr' },
      { verb: 'create', resource: 'deployments', namespace: 'feathr' },
    ];
    await expectBroken(world, [
      {
        id: 'cluster.namespace-rights',
        cause: /You can't create secrets, create deployments\.apps in namespace feathr\./,
        fix: /kubectl create rolebinding feathr-kv-setup-edit --clusterrole=edit --user=<you> --namespace feathr/,
      },
    ]);
  });

  it('the sandbox answers can-i from the denials: namespace-wide, other namespaces untouched', async () => {
    world = await installedWorld();
    const cluster = world.sandbox.state.clusters.get('feathr-aks')!;
    expect(await world.kube.canI('create', 'secrets', 'feathr')).toBe(true);
    cluster.access.rbacDenials = [{ namespace: 'feathr' }, { verb: 'create', resource: 'namespaces' }];
    expect(await world.kube.canI('create', 'secretproviderclasses.secrets-store.csi.x-k8s.io', 'feathr')).toBe(false);
    expect(await world.kube.canI('get', 'pods', 'feathr')).toBe(false);
    expect(await world.kube.canI('create', 'secrets', 'legacy')).toBe(true);
    expect(await world.kube.canI('create', 'namespaces')).toBe(false);
    expect(await world.kube.canI('list', 'namespaces')).toBe(true);
    // The same questions in one kubectl call get the same answers, in order.
    expect(
      await world.kube.canIAll([
        { verb: 'create', resource: 'secretproviderclasses.secrets-store.csi.x-k8s.io', namespace: 'feathr' },
        { verb: 'get', resource: 'pods', namespace: 'feathr' },
        { verb: 'create', resource: 'secrets', namespace: 'legacy' },
        { verb: 'create', resource: 'namespaces' },
        { verb: 'list', resource: 'namespaces' },
      ]),
    ).toEqual([false, false, true, false, true]);
    const run = await runCli(world.checkArgv('json'));
    const rights = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id?: string; message?: string })
      .find((e) => e.id === 'cluster.namespace-rights');
    expect(rights?.message).toBe(
      "You can't create secrets, create serviceaccounts, create deployments.apps, create pods, create secretproviderclasses.secrets-store.csi.x-k8s.io in namespace feathr.",
    );
  });
});
