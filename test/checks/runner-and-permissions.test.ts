import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../source/kernel/events.js';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { runChecks } from '../../source/checks/runner.js';
import { isActionAllowed, missingActions, requiredActions } from '../../source/checks/permissions.js';
import { overlaps, within } from '../../source/domain/cidr.js';
import { displayIpRule, isPublicIpv4, matchingRule } from '../../source/domain/ip-rules.js';
import { fail, pass, skip, type Check, type CheckContext } from '../../source/checks/types.js';

const config: SetupConfig = {
  target: 'azure',
  azure: { subscriptionId: 's', resourceGroup: 'feathr-rg', location: 'eastus' },
  vault: { name: 'feathr-kv', create: true, permissionModel: 'rbac' },
  network: { privateEndpoint: { vnet: 'shared-vnet', subnet: 'kv' } },
  cluster: { aks: { resourceGroup: 'aks-rg', name: 'feathr-aks' } },
  csi: { install: 'aks-addon' },
};
const ctx: CheckContext = { config, signal: new AbortController().signal, pollIntervalMs: 1, waitTimeoutMs: 10 };

describe('runChecks', () => {
  it('passes facts forward, prints skip reasons, downgrades warning failures, and fails only on fatal ones', async () => {
    const checks: Check[] = [
      {
        id: 'a',
        category: 'tools',
        phase: 'preflight',
        description: 'A',
        severity: 'fatal',
        hint: 'h',
        run: async () => pass('ok', { signedIn: true }),
      },
      {
        id: 'b',
        category: 'azure',
        phase: 'preflight',
        description: 'B',
        severity: 'warning',
        hint: 'fix b',
        run: async (_c, f) => (f.signedIn ? fail('b is off') : pass()),
      },
      {
        id: 'c',
        category: 'azure',
        phase: 'preflight',
        description: 'C',
        severity: 'fatal',
        hint: 'h',
        run: async () => skip("the vault can't be read"),
      },
      {
        id: 'd',
        category: 'azure',
        phase: 'preflight',
        description: 'D',
        severity: 'fatal',
        hint: (_c, f) => `fix d (${String(f.signedIn)})`,
        run: async () => {
          throw new Error('boom');
        },
      },
    ];
    const events: EngineEvent[] = [];
    const report = await runChecks(checks, ctx, (e) => events.push(e));
    expect(report.results.map((r) => [r.id, r.status, r.message, r.hint])).toEqual([
      ['a', 'pass', 'ok', undefined],
      ['b', 'warn', 'b is off', 'fix b'],
      ['c', 'skip', "skipped: the vault can't be read", undefined],
      ['d', 'fail', 'boom', 'fix d (true)'],
    ]);
    expect(report.ok).toBe(false);
    expect(events.filter((e) => e.type === 'check.result')).toHaveLength(4);
    const withoutD = await runChecks(checks.slice(0, 3), ctx, () => {});
    expect(withoutD.ok).toBe(true);
  });
});

describe('permissions', () => {
  it('matches wildcards and honours notActions of the same entry', () => {
    const contributor = [
      { actions: ['*'], notActions: ['Microsoft.Authorization/*/Write', 'Microsoft.Authorization/*/Delete'] },
    ];
    expect(isActionAllowed(contributor, 'Microsoft.KeyVault/vaults/write')).toBe(true);
    expect(isActionAllowed(contributor, 'Microsoft.Authorization/roleAssignments/write')).toBe(false);
    const withRbacAdmin = [...contributor, { actions: ['Microsoft.Authorization/roleAssignments/*'] }];
    expect(isActionAllowed(withRbacAdmin, 'Microsoft.Authorization/roleAssignments/write')).toBe(true);
    expect(
      missingActions(
        [{ actions: ['Microsoft.Network/*/read'] }],
        ['Microsoft.Network/virtualNetworks/read', 'Microsoft.Network/privateEndpoints/write'],
      ),
    ).toEqual(['Microsoft.Network/privateEndpoints/write']);
  });

  it('derives the actions the plan needs, per resource group', () => {
    const map = requiredActions(config, {
      aksVnet: { name: 'aks-vnet', resourceGroup: 'MC_rg', id: '/x/aks-vnet', addressPrefixes: [] },
    });
    expect(map.get('feathr-rg')).toEqual(
      expect.arrayContaining([
        'Microsoft.KeyVault/vaults/write',
        'Microsoft.Authorization/roleAssignments/write',
        'Microsoft.Network/privateEndpoints/write',
        'Microsoft.Network/virtualNetworks/peer/action',
        'Microsoft.KeyVault/vaults/privateEndpointConnectionsApproval/action',
        'Microsoft.Network/privateDnsZones/join/action',
        'Microsoft.Network/virtualNetworks/join/action',
      ]),
    );
    expect(map.get('aks-rg')).toEqual(['Microsoft.ContainerService/managedClusters/write']);
    const withSecrets = requiredActions(
      { ...config, secrets: { sources: [{ envFile: './feathr.env' }] } },
      { aksVnet: undefined },
    );
    expect(withSecrets.get('feathr-rg')).toContain('Microsoft.KeyVault/vaults/secrets/write');
    expect(map.get('feathr-rg')).not.toContain('Microsoft.KeyVault/vaults/secrets/write');
    expect(map.get('MC_rg')).toEqual([
      'Microsoft.Network/virtualNetworks/join/action',
      'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write',
      'Microsoft.Network/virtualNetworks/peer/action',
    ]);
  });
});

describe('ip helpers', () => {
  it.each([
    ['10.10.0.0/16', '10.10.0.0/16', true],
    ['10.10.0.0/16', '10.10.4.0/24', true],
    ['10.20.0.0/16', '10.10.0.0/16', false],
    ['10.0.0.0/8', '10.200.0.0/16', true],
    // IPv6 VNets: the preflight check sees the same overlap the peering step refuses.
    ['fd00:10::/48', 'fd00:10:0:1::/64', true],
    ['fd00:10::/48', '10.10.0.0/16', false],
  ])('overlaps(%s, %s) is %s', (a, b, expected) => {
    expect(overlaps(a, b)).toBe(expected);
  });

  it('contains, matches rules with /32 spelled either way, and tells public from private', () => {
    expect(within('10.20.1.0/24', '10.20.0.0/16')).toBe(true);
    expect(within('10.20.0.0/16', '10.20.1.0/24')).toBe(false);
    expect(matchingRule('52.14.20.2', ['52.14.20.1/32', '52.14.20.2/32'])).toBe('52.14.20.2/32');
    expect(matchingRule('52.14.20.9', ['52.14.20.0/30'])).toBeUndefined();
    expect(displayIpRule('52.14.20.1/32')).toBe('52.14.20.1');
    expect(isPublicIpv4('20.38.1.4')).toBe(true);
    expect(isPublicIpv4('10.20.1.4')).toBe(false);
  });
});
