/**
 * The removal plan's ordered table (docs/architecture.md, "How to add a removal step"): cluster side first (release, then
 * SecretProviderClass and synced Secrets, the credentials Secret, the CSI driver, the
 * namespace), then identities and role assignments, then network (zone group, links,
 * endpoint, zone, subnet, peerings; firewall rules), then the ledger records; the vault only
 * with --delete-vault, a purge only with --purge. dependsOn gives the order; independent
 * removals run at the same time.
 */
import type { Step } from '../steps/step-context.js';
import type { SetupConfig } from '../config/setup-config.js';
import { selectSteps } from '../steps/index.js';
import { removeFeathrReleaseStep } from './feathr-release.js';
import { removeSyncedObjectsStep } from './synced-objects.js';
import { removeMonitorJobsStep } from './monitor-jobs.js';
import { removeSpCredentialsStep } from './sp-credentials.js';
import { removeCsiDriverStep } from './csi-driver.js';
import { removeNamespaceStep } from './namespace.js';
import { removeRoleAssignmentsStep } from './role-assignments.js';
import { removeWorkloadIdentityStep } from './workload-identity.js';
import { disableAksAddonStep } from './aks-addon.js';
import { removeZoneGroupStep } from './zone-group.js';
import { removeDnsLinksStep } from './dns-links.js';
import { removePrivateEndpointStep } from './private-endpoint.js';
import { removeDnsZoneStep } from './dns-zone.js';
import { removeSubnetStep } from './subnet.js';
import { removePeeringsStep } from './peerings.js';
import { removeIpRulesStep } from './ip-rules.js';
import { CLEAR_LEDGER, clearLedgerStep } from './ledger-tags.js';
import { DELETE_VAULT, deleteVaultStep } from './vault.js';
import { purgeVaultStep } from './purge.js';

const REMOVAL_STEPS: readonly Step[] = [
  removeFeathrReleaseStep,
  removeSyncedObjectsStep,
  removeMonitorJobsStep,
  removeSpCredentialsStep,
  removeCsiDriverStep,
  removeNamespaceStep,
  removeRoleAssignmentsStep,
  removeWorkloadIdentityStep,
  disableAksAddonStep,
  removeZoneGroupStep,
  removeDnsLinksStep,
  removePrivateEndpointStep,
  removeDnsZoneStep,
  removeSubnetStep,
  removePeeringsStep,
  removeIpRulesStep,
];

export interface VaultRemoval {
  /** --delete-vault, confirmed by the typed vault name. */
  deleteVault: boolean;
  /** --purge (implies deleteVault), confirmed the same way. */
  purge: boolean;
  now?: () => number;
}

/** The removal steps of one uninstall: those that apply to this preset, then the ledger, then the vault when asked. */
export function selectRemovalSteps(
  config: SetupConfig,
  vault: VaultRemoval = { deleteVault: false, purge: false },
): Step[] {
  const chosen = selectSteps(config, REMOVAL_STEPS);
  const all = chosen.map((s) => s.id);
  const table: Step[] = [...chosen, clearLedgerStep(all)];
  if (vault.deleteVault || vault.purge) table.push(deleteVaultStep([...all, CLEAR_LEDGER]));
  if (vault.purge) table.push(purgeVaultStep([DELETE_VAULT], vault.now));
  return table;
}
