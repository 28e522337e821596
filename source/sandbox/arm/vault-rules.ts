/**
 * Key Vault property rules that ARM enforces on PUT/PATCH: vault names, network ACLs
 * (public IPv4 only, max 1000 IP rules and 200 VNet rules, single IPs echoed as /32, subnet ids
 * lower-cased), and the one-way switches (soft delete, purge protection, retention).
 */
import { fail } from './call.js';
import { forbiddenRangeOf, isIpv6, parseIpv4Cidr } from './ip.js';

const VAULT_NAME = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;

export function vaultNameProblem(name: string): string | undefined {
  if (VAULT_NAME.test(name)) return undefined;
  return `The vault name '${name}' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens. Follow this link for more information: https://go.microsoft.com/fwlink/?linkid=2147742`;
}

export const NAME_IN_USE_MESSAGE = (name: string) =>
  `The vault name '${name}' is already in use. Vault names are globally unique so it is possible that the name is already taken. If you are sure that the vault name was not taken then it is possible that a vault with the same name was recently deleted but not purged after being placed in a recoverable state. If the vault is in a recoverable state then the vault will need to be purged before reusing the name. For more information on soft delete and purging a vault follow this link https://go.microsoft.com/fwlink/?linkid=2147740.`;

export function normaliseNetworkAcls(input: unknown): Record<string, unknown> | undefined {
  if (input === undefined || input === null) return undefined;
  const acls = input as Record<string, any>;
  const ipRules = (acls.ipRules ?? []) as { value?: unknown }[];
  const vnetRules = (acls.virtualNetworkRules ?? []) as { id?: unknown; ignoreMissingVnetServiceEndpoint?: boolean }[];
  if (ipRules.length > 1000)
    fail(
      400,
      'BadRequest',
      `Invalid value found at properties.networkAcls.ipRules: the number of IP rules (${ipRules.length}) exceeds the limit of 1000.`,
    );
  if (vnetRules.length > 200)
    fail(
      400,
      'BadRequest',
      `Invalid value found at properties.networkAcls.virtualNetworkRules: the number of virtual network rules (${vnetRules.length}) exceeds the limit of 200.`,
    );
  const normalisedIps = ipRules.map((rule, index) => {
    const value = String(rule?.value ?? '').trim();
    const where = `properties.networkAcls.ipRules[${index}].value`;
    if (isIpv6(value))
      fail(400, 'BadRequest', `Invalid value found at ${where}: ${value}. Only IPv4 addresses are supported.`);
    const range = parseIpv4Cidr(value);
    if (!range)
      fail(400, 'BadRequest', `Invalid value found at ${where}: ${value} is not a valid IPv4 address or CIDR range.`);
    const forbidden = forbiddenRangeOf(range);
    if (forbidden)
      fail(400, 'BadRequest', `Invalid value found at ${where}: ${value} belongs to forbidden range ${forbidden}.`);
    return { value: range.cidr };
  });
  const normalisedVnets = vnetRules.map((rule, index) => {
    if (typeof rule?.id !== 'string' || !rule.id.toLowerCase().includes('/subnets/')) {
      fail(
        400,
        'BadRequest',
        `Invalid value found at properties.networkAcls.virtualNetworkRules[${index}].id: a subnet resource id is required.`,
      );
    }
    return {
      id: rule.id.toLowerCase(),
      ignoreMissingVnetServiceEndpoint: rule.ignoreMissingVnetServiceEndpoint ?? false,
    };
  });
  const bypass = acls.bypass ?? 'AzureServices';
  const defaultAction = acls.defaultAction ?? 'Allow';
  if (!['AzureServices', 'None'].includes(bypass))
    fail(400, 'BadRequest', `Invalid value found at properties.networkAcls.bypass: ${bypass}.`);
  if (!['Allow', 'Deny'].includes(defaultAction))
    fail(400, 'BadRequest', `Invalid value found at properties.networkAcls.defaultAction: ${defaultAction}.`);
  return { bypass, defaultAction, ipRules: normalisedIps, virtualNetworkRules: normalisedVnets };
}

/** The rules ARM applies when properties change on an existing vault. */
export function checkOneWaySwitches(existing: Record<string, any>, requested: Record<string, any>): void {
  if (existing.enablePurgeProtection === true && requested.enablePurgeProtection === false) {
    fail(
      400,
      'BadRequest',
      'The property "enablePurgeProtection" cannot be set to false. Enabling the purge protection for a vault is an irreversible action.',
    );
  }
  if (requested.enableSoftDelete === false) {
    fail(
      400,
      'BadRequest',
      'The property "enableSoftDelete" cannot be set to false. Enabling soft delete for a vault is an irreversible action.',
    );
  }
  if (
    requested.softDeleteRetentionInDays !== undefined &&
    requested.softDeleteRetentionInDays !== existing.softDeleteRetentionInDays
  ) {
    fail(400, 'BadRequest', `The property "softDeleteRetentionInDays" has been set already and it can't be modified.`);
  }
}

export function checkRetention(days: unknown): number {
  if (days === undefined) return 90;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 7 || days > 90) {
    fail(
      400,
      'BadRequest',
      `The property "softDeleteRetentionInDays" must be an integer between 7 and 90 (given: ${String(days)}).`,
    );
  }
  return days;
}
