/**
 * The bounded wait for role propagation in `mount.objects` polls every pollIntervalMs (15 s on
 * Azure). Ctrl-C aborts the run's signal, and the wait must end at once with a cancel, not
 * sleep out the interval first.
 */
import { afterEach, expect, it } from 'vitest';
import { addonIdentity, requireCluster } from '../../source/azure/aks.js';
import { ROLE, assignRole, assignmentName, sdkScope } from '../../source/azure/roles.js';
import { vaultId } from '../../source/azure/vaults.js';
import { runAllChecks } from '../../source/checks/index.js';
import { loadPreset } from '../../source/config/load-preset.js';
import { CancelledError } from '../../source/kernel/errors.js';
import type { EngineEvent } from '../../source/kernel/events.js';
import { RG, VAULT, installedWorld, type InstalledWorld } from './installed-world.js';

let world: InstalledWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

it('Ctrl-C during the role-propagation wait cancels the checks at once', async () => {
  world = await installedWorld();
  const ctx = { azure: world.azure, signal: new AbortController().signal };
  const identity = addonIdentity(await requireCluster(ctx, RG, 'feathr-aks'))!;
  const scope = vaultId(world.azure, RG, VAULT);
  // A granted role that won't reach the data plane for a minute: mount.objects starts waiting.
  await world.azure.authorization.roleAssignments.delete(
    sdkScope(scope),
    assignmentName(scope, identity.objectId!, ROLE.keyVaultSecretsUser),
  );
  world.sandbox.state.rbacPropagationSeconds = 60;
  await assignRole(ctx, scope, identity.objectId!, ROLE.keyVaultSecretsUser);

  const config = await loadPreset(world.presetFile);
  const abort = new AbortController();
  let abortedAt = 0;
  const seen: string[] = [];
  const emit = (event: EngineEvent) => {
    if (event.type !== 'check.result') return;
    seen.push(event.id);
    // The check before mount.objects: shortly after it, mount.objects sits in its first pause.
    if (event.id === 'mount.vault-secrets') {
      setTimeout(() => {
        abortedAt = Date.now();
        abort.abort();
      }, 150);
    }
  };
  const run = runAllChecks(
    {
      config,
      azure: world.azure,
      kube: world.kube,
      signal: abort.signal,
      pollIntervalMs: 5_000,
      waitTimeoutMs: 60_000,
    },
    emit,
  );
  await expect(run).rejects.toBeInstanceOf(CancelledError);
  expect(abortedAt).toBeGreaterThan(0);
  expect(Date.now() - abortedAt).toBeLessThan(1_000);
  // Cancelled inside mount.objects: it reported nothing, and nothing ran after it.
  expect(seen.at(-1)).toBe('mount.vault-secrets');
});
