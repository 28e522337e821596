/** azure: the endpoint's zone group, which writes the vault's A record (= the endpoint's IP) into the zone. */
import { defineStep } from './step-context.js';
import { fromChanges, noOp } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import { createZoneGroup, getPrivateEndpoint, getZoneGroup, privateEndpointIp } from '../azure/network.js';
import { getARecordAt, VAULT_PRIVATE_ZONE } from '../azure/private-dns.js';
import { vaultZone, zoneLabel } from './vault-zone.js';
import { endpointPlace, privateEndpointName, ZONE_GROUP_NAME } from './topology.js';
import { lastOperationFailed, provisioningStateOf, repairChange, requireProvisioned } from './provisioning-state.js';

export const dnsZoneGroupStep = defineStep<'config' | 'azure' | 'signal'>({
  id: 'dns-zone-group',
  title: 'DNS zone group (A record)',
  dependsOn: ['private-endpoint', 'private-dns-zone'],
  appliesTo: (config) => config.target === 'azure',
  async plan(ctx) {
    const resourceGroup = endpointPlace(ctx.config);
    const pe = privateEndpointName(ctx.config);
    const group = await getZoneGroup(ctx, resourceGroup, pe, ZONE_GROUP_NAME);
    const zone = await vaultZone(ctx);
    const want = zone.ref.id.toLowerCase();
    const zones = (group?.privateDnsZoneConfigs ?? []).map((c) => c.privateDnsZoneId?.toLowerCase());
    const label = `zone group ${pe}/${ZONE_GROUP_NAME}`;
    const state = provisioningStateOf(group) ?? null;
    if (zones.includes(want) && lastOperationFailed(group))
      return fromChanges({ zones, state }, [repairChange(label, group)]);
    if (zones.includes(want))
      return noOp({ zones, state }, [{ mark: '=', resource: label, reason: `points at ${zoneLabel(zone)}` }]);
    return fromChanges({ zones, absent: !group, want }, [
      {
        mark: group ? '~' : '+',
        resource: label,
        field: group ? 'privateDnsZoneConfigs' : undefined,
        to: zoneLabel(zone),
        reason: `A record ${ctx.config.vault.name} -> the endpoint's private IP, in ${zone.shared ? `the existing zone ${zoneLabel(zone)} (${zone.why})` : VAULT_PRIVATE_ZONE}`,
      },
    ]);
  },
  async apply(ctx) {
    const resourceGroup = endpointPlace(ctx.config);
    await createZoneGroup(
      ctx,
      resourceGroup,
      privateEndpointName(ctx.config),
      ZONE_GROUP_NAME,
      (await vaultZone(ctx)).ref.id,
    );
  },
  async verify(ctx) {
    const resourceGroup = endpointPlace(ctx.config);
    const name = ctx.config.vault.name;
    requireProvisioned(
      `Zone group ${privateEndpointName(ctx.config)}/${ZONE_GROUP_NAME}`,
      await getZoneGroup(ctx, resourceGroup, privateEndpointName(ctx.config), ZONE_GROUP_NAME),
    );
    const pe = await getPrivateEndpoint(ctx, resourceGroup, privateEndpointName(ctx.config));
    const ip = pe ? await privateEndpointIp(ctx, pe) : undefined;
    const zone = await vaultZone(ctx);
    const record = await getARecordAt(ctx, zone.ref, name.toLowerCase());
    const ips = record?.aRecords?.map((a) => a.ipv4Address) ?? [];
    if (!ip || !ips.includes(ip)) {
      throw new UserError(
        `The A record ${name}.${VAULT_PRIVATE_ZONE} gives ${ips.join(', ') || 'nothing'}, not the endpoint's IP ${ip ?? '(unknown)'}.`,
        'Run the same command again; the zone group writes the record.',
      );
    }
    return `A record ${name}.${VAULT_PRIVATE_ZONE} -> ${ip}${zone.shared ? ` (zone ${zoneLabel(zone)})` : ''}`;
  },
});
