import { describe, expect, it } from 'vitest';
import { vnetsCanRoute } from '../../../source/sandbox/network/routing.js';
import { emptyState } from '../../../source/sandbox/world/build.js';
import type { SandboxState } from '../../../source/sandbox/world/state.js';

const A = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/a';
const B = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/b';

function withPeerings(peerings: { from: string; to: string; state: string }[]): SandboxState {
  const state = emptyState('t', 's');
  for (const peering of peerings) {
    const id = `${peering.from}/virtualNetworkPeerings/${peering.to.split('/').pop()}`;
    state.resources.set(id.toLowerCase(), {
      id,
      name: 'p',
      type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
      properties: {
        remoteVirtualNetwork: { id: peering.to },
        peeringState: peering.state,
        allowVirtualNetworkAccess: true,
      },
    });
  }
  return state;
}

describe('vnetsCanRoute', () => {
  it.each([
    { name: 'same VNet (ids compared case-insensitively)', peerings: [], from: A, to: A.toUpperCase(), routes: true },
    { name: 'no peering', peerings: [], from: A, to: B, routes: false },
    {
      name: 'one side only, even if it claimed Connected',
      peerings: [{ from: A, to: B, state: 'Connected' }],
      from: A,
      to: B,
      routes: false,
    },
    {
      name: 'both sides, one still Initiated',
      peerings: [
        { from: A, to: B, state: 'Connected' },
        { from: B, to: A, state: 'Initiated' },
      ],
      from: A,
      to: B,
      routes: false,
    },
    {
      name: 'both sides Disconnected',
      peerings: [
        { from: A, to: B, state: 'Disconnected' },
        { from: B, to: A, state: 'Disconnected' },
      ],
      from: A,
      to: B,
      routes: false,
    },
    {
      name: 'both sides Connected',
      peerings: [
        { from: A, to: B, state: 'Connected' },
        { from: B, to: A, state: 'Connected' },
      ],
      from: B,
      to: A,
      routes: true,
    },
  ])('$name → $routes', ({ peerings, from, to, routes }) => {
    expect(vnetsCanRoute(withPeerings(peerings), from, to)).toBe(routes);
  });
});
