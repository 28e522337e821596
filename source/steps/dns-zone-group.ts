/** azure: the endpoint's zone group, which writes the vault's A record (= the endpoint's IP) into the zone. */
import { defineStep } from './step-context.js';
import { fromChanges, noOp } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import { createZoneGroup, getPrivateEndpoint, getZoneGroup, privateEndpointIp } from '../azure/network.js';
import { getARecord, VAULT_PRIVATE_ZONE, zoneId } from '../azure/private-dns.js';
import { privateEndpointName, ZONE_GROUP_NAME } from './topology.js';
import { lastOperationFailed, provisioningStateOf, repairChange, requireProvisioned } from './provisioning-state.js';

export const dnsZoneGroupStep = defineStep<'config' | 'azure' | 'signal'>({
  id: 'dns-zone-group',
  title: 'DNS zone group (A record)',
  dependsOn: ['private-endpoint', 'private-dns-zone'],
  appliesTo: (config) => config.target === 'azure',
  async plan(ctx) {
    const { resourceGroup } = ctx.config.azure;
    const pe = privateEndpointName(ctx.config);
    const group = await getZoneGroup(ctx, resourceGroup, pe, ZONE_GROUP_NAME);
    const want = zoneId(ctx.azure, resourceGroup).toLowerCase();
    const zones = (group?.privateDnsZoneConfigs ?? []).map((c) => c.privateDnsZoneId?.toLowerCase());
    const label = `zone group ${pe}/${ZONE_GROUP_NAME}`;
    const state = provisioningStateOf(group) ?? null;
    if (zones.includes(want) && lastOperationFailed(group)) return fromChanges({ zones, state }, [repairChange(label, group)]);
    if (zones.includes(want)) return noOp({ zones, state }, [{ mark: '=', resource: label, reason: `points at ${VAULT_PRIVATE_ZONE}` }]);
    return fromChanges({ zones, absent: !group }, [{ mark: group ? '~' : '+', resource: label, field: group ? 'privateDnsZoneConfigs' : undefined, to: VAULT_PRIVATE_ZONE, reason: `A record ${ctx.config.vault.name} -> the endpoint's private IP` }]);
  },
  async apply(ctx) {
    const { resourceGroup } = ctx.config.azure;
    await createZoneGroup(ctx, resourceGroup, privateEndpointName(ctx.config), ZONE_GROUP_NAME, zoneId(ctx.azure, resourceGroup));
  },
  async verify(ctx) {
    const { resourceGroup } = ctx.config.azure;
    const name = ctx.config.vault.name;
    requireProvisioned(`Zone group ${privateEndpointName(ctx.config)}/${ZONE_GROUP_NAME}`, await getZoneGroup(ctx, resourceGroup, privateEndpointName(ctx.config), ZONE_GROUP_NAME));
    const pe = await getPrivateEndpoint(ctx, resourceGroup, privateEndpointName(ctx.config));
    const ip = pe ? await privateEndpointIp(ctx, pe) : undefined;
    const record = await getARecord(ctx, resourceGroup, name.toLowerCase());
    const ips = record?.aRecords?.map((a) => a.ipv4Address) ?? [];
    if (!ip || !ips.includes(ip)) {
      throw new UserError(`The A record ${name}.${VAULT_PRIVATE_ZONE} gives ${ips.join(', ') || 'nothing'}, not the endpoint's IP ${ip ?? '(unknown)'}.`, 'Run the same command again; the zone group writes the record.');
    }
    return `A record ${name}.${VAULT_PRIVATE_ZONE} -> ${ip}`;
  },
});
