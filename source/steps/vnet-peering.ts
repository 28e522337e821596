/**
 * azure: peer the AKS VNet and the endpoint VNet in both directions when they differ, one side
 * after the other, then wait (bounded) until both sides report Connected. Overlapping address spaces can never be
 * peered, so that is refused in the plan, before any write.
 */
import { type Change } from '../kernel/step.js';
import { defineStep } from './step-context.js';
import { blocked, fromChanges, noOp } from '../kernel/plan.js';
import { CancelledError, UserError } from '../kernel/errors.js';
import { createPeering, getPeering } from '../azure/network.js';
import { overlappingPairs } from '../domain/cidr.js';
import { aksVnet, endpointVnet, peeringName, sameVnet, type VnetInfo } from './topology.js';
import { recordInLedger } from '../domain/ledger.js';
import { lastOperationFailed, repairChange, requireProvisioned } from './provisioning-state.js';

type Ctx = Parameters<typeof aksVnet>[0] & {
  progress: (m: string) => void;
  pollIntervalMs: number;
  waitTimeoutMs: number;
  addFinalizer: Parameters<typeof recordInLedger>[0]['addFinalizer'];
};

interface Side {
  local: VnetInfo;
  remote: VnetInfo;
  name: string;
}

function sides(aks: VnetInfo, endpoint: VnetInfo): Side[] {
  return [
    { local: aks, remote: endpoint, name: peeringName(aks.ref.name, endpoint.ref.name) },
    { local: endpoint, remote: aks, name: peeringName(endpoint.ref.name, aks.ref.name) },
  ];
}

/** Any peering of `local` that points at `remote`, whatever its name. */
function existingPeering(side: Side) {
  return (side.local.vnet.virtualNetworkPeerings ?? []).find(
    (p) => p.remoteVirtualNetwork?.id?.toLowerCase() === side.remote.id.toLowerCase(),
  );
}

function peerings(ctx: Ctx, all: Side[]) {
  return Promise.all(all.map((s) => getPeering(ctx, s.local.ref, existingPeering(s)?.name ?? s.name)));
}

async function states(ctx: Ctx, all: Side[]): Promise<(string | undefined)[]> {
  return (await peerings(ctx, all)).map((p) => p?.peeringState);
}

/** Re-sent when missing, Disconnected (the other side was re-created) or its last operation failed. */
function needsPut(p: ReturnType<typeof existingPeering>): boolean {
  return !p || p.peeringState === 'Disconnected' || lastOperationFailed(p);
}

/** Disconnected sides first, then the rest in table order. */
function putOrder(all: Side[]): Side[] {
  const disconnected = (s: Side) => existingPeering(s)?.peeringState === 'Disconnected';
  return [...all.filter(disconnected), ...all.filter((s) => !disconnected(s))];
}

export const vnetPeeringStep = defineStep<
  'config' | 'azure' | 'signal' | 'progress' | 'pollIntervalMs' | 'waitTimeoutMs' | 'addFinalizer'
>({
  id: 'vnet-peering',
  title: 'VNet peering',
  // Writes to the endpoint VNet like the subnet and the endpoint's NIC, and Azure takes one write
  // per VNet at a time: after them, never beside them.
  dependsOn: ['endpoint-subnet', 'private-endpoint'],
  appliesTo: (config) => config.target === 'azure',
  async plan(ctx) {
    const [aks, endpoint] = await Promise.all([aksVnet(ctx), endpointVnet(ctx)]);
    if (sameVnet(aks, endpoint))
      return noOp({ same: aks.id.toLowerCase() }, [
        {
          mark: '=',
          resource: `VNet ${aks.ref.name}`,
          reason: 'AKS and the endpoint share this VNet: no peering needed',
        },
      ]);
    const all = sides(aks, endpoint);
    const found = all.map((s) => existingPeering(s));
    const observed = {
      aks: aks.prefixes,
      endpoint: endpoint.prefixes,
      peerings: found.map((p) =>
        p ? `${p.name}:${p.peeringState}:${lastOperationFailed(p) ? 'failed' : 'ok'}` : null,
      ),
    };
    const clash = overlappingPairs(aks.prefixes, endpoint.prefixes);
    if (clash.length > 0 && found.some((p) => !p)) {
      const [a, b] = clash[0]!;
      return blocked(
        observed,
        `Can't peer ${aks.ref.name} (${a}) with ${endpoint.ref.name} (${b}): their address spaces overlap, and Azure only peers non-overlapping VNets.`,
        `Put the private endpoint in a VNet whose range doesn't overlap ${aks.prefixes.join(', ')} (network.privateEndpoint.vnet), or in ${aks.ref.name} itself.`,
      );
    }
    const changes: Change[] = all.map((s, i) => {
      const p = found[i];
      if (!p)
        return {
          mark: '+',
          resource: `peering ${s.local.ref.name}/${s.name}`,
          to: s.remote.ref.name,
          reason: 'AKS pods reach the endpoint VNet only through a peering in each direction',
        };
      if (lastOperationFailed(p)) return repairChange(`peering ${s.local.ref.name}/${p.name}`, p);
      if (p.peeringState === 'Disconnected')
        return {
          mark: '~',
          resource: `peering ${s.local.ref.name}/${p.name}`,
          field: 'peeringState',
          from: 'Disconnected',
          to: 'Connected',
          reason: 're-create: the other side was deleted and re-added',
        };
      return { mark: '=', resource: `peering ${s.local.ref.name}/${p.name}`, reason: p.peeringState ?? 'exists' };
    });
    return fromChanges(observed, changes);
  },
  async apply(ctx) {
    const [aks, endpoint] = await Promise.all([aksVnet(ctx), endpointVnet(ctx)]);
    const all = sides(aks, endpoint);
    // One side after the other: each side's operation holds both VNets, so a second PUT sent
    // meanwhile is refused. A Disconnected side goes first, since Azure refuses the other side
    // (RemotePeeringIsDisconnected) until it is updated.
    for (const s of putOrder(all)) {
      const p = existingPeering(s);
      if (!needsPut(p)) continue;
      // Peerings can't carry tags: the vault's ledger says uninstall may remove the ones made here.
      // Recorded before the PUT: one whose operation ends Failed still exists, and its repair won't know who made it.
      if (!p) recordInLedger(ctx, { kind: 'peering', vnet: s.local.ref, name: s.name, remote: s.remote.ref });
      await createPeering(ctx, s.local.ref, p?.name ?? s.name, s.remote.id, p);
    }
    // A peering is Initiated until both sides exist, then Connected: poll, bounded.
    const started = Date.now();
    for (;;) {
      const now = await states(ctx, all);
      if (now.every((s) => s === 'Connected')) return;
      if (Date.now() - started > ctx.waitTimeoutMs)
        throw new UserError(
          `Peerings between ${aks.ref.name} and ${endpoint.ref.name} aren't Connected after ${Math.round(ctx.waitTimeoutMs / 1000)} s (${now.join(', ')}).`,
          'Run the same command again; check both VNets in the portal under Peerings.',
        );
      ctx.progress(`Waiting for peerings to connect: ${now.map((s) => s ?? 'missing').join(', ')}`);
      await new Promise((r) => setTimeout(r, ctx.pollIntervalMs));
      if (ctx.signal.aborted) throw new CancelledError();
    }
  },
  async verify(ctx) {
    const [aks, endpoint] = await Promise.all([aksVnet(ctx), endpointVnet(ctx)]);
    if (sameVnet(aks, endpoint)) return `No peering needed: AKS and the endpoint share ${aks.ref.name}`;
    const all = sides(aks, endpoint);
    const found = await peerings(ctx, all);
    found.forEach((p, i) => requireProvisioned(`Peering ${all[i]!.local.ref.name}/${p?.name ?? all[i]!.name}`, p));
    const now = found.map((p) => p?.peeringState);
    if (!now.every((s) => s === 'Connected'))
      throw new UserError(
        `Peerings between ${aks.ref.name} and ${endpoint.ref.name} aren't Connected (${now.map((s) => s ?? 'missing').join(', ')}).`,
        'Run the same command again.',
      );
    return `Peerings ${aks.ref.name} <-> ${endpoint.ref.name} Connected`;
  },
});
