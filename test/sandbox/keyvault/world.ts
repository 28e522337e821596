/**
 * Test worlds for the Key Vault data plane and the clusters: the default world
 * plus a few live vaults, started as a real HTTPS sandbox, and SDK clients that trust its CA
 * per client.
 */
import { SecretClient } from '@azure/keyvault-secrets';
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '../../../source/sandbox/start.js';
import { DEFAULT_WORLD } from '../../../source/sandbox/world/default-world.js';
import { worldSpecSchema, type WorldSpecInput } from '../../../source/sandbox/world/spec.js';

export const RG_ID = `/subscriptions/${DEFAULT_WORLD.subscriptionId}/resourceGroups/feathr-rg`;
export const vaultId = (name: string) => `${RG_ID}/providers/Microsoft.KeyVault/vaults/${name}`;

export function worldWith(extra: Partial<WorldSpecInput>): ReturnType<typeof worldSpecSchema.parse> {
  return worldSpecSchema.parse({
    ...DEFAULT_WORLD,
    ...extra,
    principals: [...DEFAULT_WORLD.principals, ...(extra.principals ?? [])],
    vaults: [...DEFAULT_WORLD.vaults, ...(extra.vaults ?? [])],
    roleAssignments: [...DEFAULT_WORLD.roleAssignments, ...(extra.roleAssignments ?? [])],
  });
}

export async function startWorld(
  extra: Partial<WorldSpecInput>,
  options: StartSandboxOptions = {},
): Promise<RunningSandbox> {
  return startSandbox({ world: worldWith(extra), ...options });
}

export function secretClient(sandbox: RunningSandbox, vaultName: string, principal = 'operator'): SecretClient {
  const token = sandbox.tokenFor(principal);
  const credential = { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }) };
  // The vault resource's vaultUri is where a real run points SecretClient; the world's own
  // vaults have one, and a name the world doesn't hold still gets the sandbox's URL scheme.
  const vault = sandbox.state.resources.get(vaultId(vaultName).toLowerCase());
  const vaultUrl = String(
    (vault?.properties as Record<string, unknown> | undefined)?.vaultUri ?? `${sandbox.url}/kv/${vaultName}`,
  );
  return new SecretClient(vaultUrl, credential, {
    disableChallengeResourceVerification: true,
    tlsOptions: { ca: sandbox.caPem },
    retryOptions: { maxRetries: 0 },
  });
}

/** Plain HTTPS, curl-style, trusting the sandbox CA for this request only (one helper for all sandbox tests). */
export { request as httpsJson } from '../arm/helpers.js';

/** The vault's ARM properties as the sandbox holds them, for changing its network from outside. */
export function vaultProps(sandbox: RunningSandbox, vaultName: string): Record<string, any> {
  return sandbox.state.resources.get(vaultId(vaultName).toLowerCase())!.properties as Record<string, any>;
}
