/**
 * The public address `<vault>.vault.azure.net` resolves to. It is data, never contacted:
 * derived from the name so it is stable across runs and worlds (20.x.y.z, an Azure range).
 */
import { createHash } from 'node:crypto';

export function vaultPublicAddress(vaultName: string): string {
  const digest = createHash('sha256').update(vaultName.toLowerCase()).digest();
  // Avoid .0 and .255 in the last octet so the address looks like a host.
  return `20.${digest[0]}.${digest[1]}.${(digest[2] % 253) + 1}`;
}
