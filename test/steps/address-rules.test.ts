import { describe, expect, it } from 'vitest';
import { normalizeIpRule, ipRuleSet } from '../../source/domain/ip-rules.js';
import { overlappingPairs, overlaps, within } from '../../source/domain/cidr.js';
import { assignmentName } from '../../source/azure/roles.js';

describe('IP rule normalisation', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4/32'],
    ['1.2.3.4/32', '1.2.3.4/32'],
    [' 52.14.20.1 ', '52.14.20.1/32'],
    ['124.56.78.91/24', '124.56.78.0/24'],
  ])('%s -> %s', (input, output) => expect(normalizeIpRule(input)).toBe(output));

  it('deduplicates equivalent rules', () =>
    expect(ipRuleSet(['1.2.3.4', '1.2.3.4/32', '5.6.7.8'])).toEqual(['1.2.3.4/32', '5.6.7.8/32']));
});

describe('address ranges', () => {
  it.each([
    ['10.10.0.0/16', '10.10.0.0/16', true],
    ['10.10.0.0/16', '10.10.200.0/24', true],
    ['10.10.0.0/16', '10.20.0.0/16', false],
    ['10.20.1.0/24', '10.20.0.0/16', true],
  ])('%s overlaps %s: %s', (a, b, expected) => expect(overlaps(a, b)).toBe(expected));

  it('knows when a subnet lies inside its VNet', () => {
    expect(within('10.20.1.0/24', '10.20.0.0/16')).toBe(true);
    expect(within('10.10.1.0/24', '10.20.0.0/16')).toBe(false);
    expect(within('10.20.0.0/15', '10.20.0.0/16')).toBe(false);
  });

  it('lists overlapping pairs between two VNets', () =>
    expect(overlappingPairs(['10.10.0.0/16'], ['10.10.0.0/16', '10.30.0.0/16'])).toEqual([
      ['10.10.0.0/16', '10.10.0.0/16'],
    ]));
});

describe('role assignment names', () => {
  it('are stable GUIDs of scope, principal and role, case-insensitive', () => {
    const a = assignmentName('/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv', 'P1', 'R1');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(
      assignmentName('/subscriptions/S/resourcegroups/RG/providers/microsoft.keyvault/vaults/KV', 'p1', 'r1'),
    ).toBe(a);
    expect(
      assignmentName('/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv', 'P2', 'R1'),
    ).not.toBe(a);
  });
});
