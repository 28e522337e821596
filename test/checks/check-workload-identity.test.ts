/**
 * Acceptance, the workload-identity install of
 * presets/other-cloud-workload-identity.yaml: healthy, `check` passes; with a federated
 * credential for the wrong subject, it fails naming AADSTS70021 and the command that sets the
 * issuer and subject the pods really present.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkBoth, expectBroken } from './expect-broken.js';
import type { InstalledWorld } from './installed-world.js';
import { installedWorkloadIdentity } from './installed-wi-world.js';

let world: InstalledWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const FIX =
  /az identity federated-credential create --name feathr-feathr-online --identity-name feathr-kv-reader --resource-group feathr-rg --issuer https:\/\/oidc\.sandbox\.test\/feathr-eks --subject system:serviceaccount:feathr:feathr-online --audiences api:\/\/AzureADTokenExchange/;

describe('check on a workload-identity install (other cloud)', () => {
  it('passes when the federated credential matches the issuer and the ServiceAccount', async () => {
    world = await installedWorkloadIdentity();
    const { text, json, events } = await checkBoth(world);
    expect(text.code, text.stdout).toBe(0);
    expect(json.code).toBe(0);
    expect(text.stdout).toContain(
      "√ the workload identity trusts the Feathr ServiceAccount's tokens: feathr-kv-reader trusts system:serviceaccount:feathr:feathr-online from https://oidc.sandbox.test/feathr-eks",
    );
    expect(text.stdout).toContain('√ the SecretProviderClass mounts every object, none empty: 3 object(s) mounted');
    expect(events.filter((e) => e.type === 'check.result' && e.status === 'fail')).toEqual([]);
    expect(text.all + json.all).not.toMatch(/sandbox-conn-str|sandbox-redis-password/);
  });

  it('fails with AADSTS70021 when the credential names another ServiceAccount', async () => {
    world = await installedWorkloadIdentity({ subject: 'system:serviceaccount:feathr:default' });
    await expectBroken(world, [
      {
        id: 'identity.federation',
        cause:
          /Managed identity feathr-kv-reader has no federated credential for issuer https:\/\/oidc\.sandbox\.test\/feathr-eks and subject system:serviceaccount:feathr:feathr-online \(it has feathr-feathr-online: issuer https:\/\/oidc\.sandbox\.test\/feathr-eks, subject system:serviceaccount:feathr:default\), so Entra ID refuses the pods' token exchange with AADSTS70021/,
        fix: FIX,
      },
      {
        id: 'mount.objects',
        cause:
          /Entra ID finds no federated credential for issuer https:\/\/oidc\.sandbox\.test\/feathr-eks and subject system:serviceaccount:feathr:feathr-online \(AADSTS70021\)/,
        fix: FIX,
      },
    ]);
  });
});
