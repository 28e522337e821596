/**
 * The ordered step table: one list, one file per step; a new step is a new file plus one line
 * (docs/architecture.md, "How to add a step"). Order breaks ties when several steps are ready;
 * dependsOn decides what may run at the same time.
 */
import type { Step } from './step-context.js';
import type { SetupConfig } from '../config/setup-config.js';
import { resourceGroupStep } from './resource-group.js';
import { vaultStep } from './vault.js';
import { endpointSubnetStep } from './endpoint-subnet.js';
import { privateDnsZoneStep } from './private-dns-zone.js';
import { privateEndpointStep } from './private-endpoint.js';
import { dnsZoneGroupStep } from './dns-zone-group.js';
import { dnsZoneLinksStep } from './dns-zone-links.js';
import { vnetPeeringStep } from './vnet-peering.js';
import { aksAddonStep } from './aks-addon.js';
import { workloadIdentityStep } from './workload-identity.js';
import { readerAccessStep } from './reader-access.js';
import { operatorAccessStep } from './operator-access.js';
import { migrateSecretsStep } from './migrate-secrets.js';
import { vaultLockdownStep } from './vault-lockdown.js';
import { vaultFirewallStep } from './vault-firewall.js';
import { kubeContextStep } from './kube-context.js';
import { feathrNamespaceStep } from './feathr-namespace.js';
import { csiDriverStep } from './csi-driver.js';
import { spCredentialsSecretStep } from './sp-credentials-secret.js';
import { feathrReleaseStep } from './feathr-release.js';

export const STEPS: readonly Step[] = [
  resourceGroupStep,
  vaultStep,
  endpointSubnetStep,
  privateDnsZoneStep,
  vnetPeeringStep,
  aksAddonStep,
  workloadIdentityStep,
  privateEndpointStep,
  dnsZoneLinksStep,
  dnsZoneGroupStep,
  operatorAccessStep,
  readerAccessStep,
  migrateSecretsStep,
  vaultLockdownStep,
  vaultFirewallStep,
  kubeContextStep,
  feathrNamespaceStep,
  csiDriverStep,
  spCredentialsSecretStep,
  feathrReleaseStep,
];

/** The steps that act on the cluster through kubectl and helm; every other step acts on Azure. */
export const CLUSTER_STEP_IDS: ReadonlySet<string> = new Set(
  [kubeContextStep, feathrNamespaceStep, csiDriverStep, spCredentialsSecretStep, feathrReleaseStep].map((s) => s.id),
);

/** The Azure side of the table: what a run without a cluster to reach would do. */
export const AZURE_STEPS: readonly Step[] = STEPS.filter((s) => !CLUSTER_STEP_IDS.has(s.id));

/**
 * The steps of one run: those that apply to this configuration, with dependencies on steps
 * that don't apply dropped (e.g. reader-access waits for aks-addon only in add-on mode).
 */
export function selectSteps(config: SetupConfig, table: readonly Step[] = STEPS): Step[] {
  const chosen = table.filter((s) => s.appliesTo(config));
  const ids = new Set(chosen.map((s) => s.id));
  return chosen.map((s) => ({ ...s, dependsOn: s.dependsOn.filter((d) => ids.has(d)) }));
}
