/**
 * Network as ARM records it: the vault, its private endpoint and NIC
 * address, the private DNS zone's A record and its link to the AKS VNet, peering in both
 * directions, and on other clouds the firewall's ipRules. The in-cluster probe then checks
 * that the cluster really sees it this way. The checks live in one file per topic; this is
 * their order.
 */
import { dnsZoneCheck, peeringCheck, privateEndpointCheck } from './network-private.js';
import { firewallCheck, publicAccessCheck, vaultCheck } from './network-vault.js';
import type { Check } from './types.js';

export const networkChecks: readonly Check[] = [
  vaultCheck,
  privateEndpointCheck,
  dnsZoneCheck,
  peeringCheck,
  publicAccessCheck,
  firewallCheck,
];
