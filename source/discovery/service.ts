/**
 * The wizard's discovery (wizard-port.ts) over the real adapters: the Azure SDK clients of
 * source/azure and a ClusterDirectory (kubectl, or the sandbox's cluster API). The same code
 * serves a real run and a sandbox run; only the connection and the directory differ. It is
 * imported after the first frame, because it pulls in the Azure SDKs.
 */
import { resolve } from 'node:path';
import type { AzureClients } from '../azure/clients.js';
import { checkVaultName, findDeletedVault } from '../azure/vaults.js';
import { prepareMigration } from '../secrets/migration.js';
import { readEnvFile } from '../secrets/sources/env-file.js';
import { FEATHR_VARIABLES } from '../secrets/sources/feathr-variables.js';
import {
  listAksClusters,
  listLocations,
  listResourceGroups,
  listVaults,
  listVnetInfos,
  readNetworkFacts,
} from './sources/azure-lists.js';
import type { ClusterDirectory } from './sources/clusters.js';
import { secretConflicts } from './sources/secret-conflicts.js';
import { findInstalls } from './sources/installs.js';
import type { Detected, VaultNameState, WizardPort } from './port.js';

export interface DiscoveryDeps {
  azure: AzureClients;
  clusters: ClusterDirectory;
  sandbox: boolean;
  /** Who is signed in, as shown on the welcome screen. */
  account?: string;
  /** Subscriptions the operator's sign-in knows of; just the connection's one when absent. */
  subscriptions?: { id: string; name: string }[];
  /** Relative .env paths resolve against this. */
  cwd: string;
  /** Where the migration keeps its written-record (the same one the run uses). */
  stateDir: string;
  signal: AbortSignal;
  /** Where `env` secret sources are read from (the run reads the same). */
  env?: Readonly<Record<string, string | undefined>>;
}

const message = (error: unknown) => (error instanceof Error ? error.message.split('\n')[0]! : String(error));

export function createDiscovery(deps: DiscoveryDeps): WizardPort {
  const ctx = { azure: deps.azure, signal: deps.signal };
  const { clusters } = deps;
  const feathrKeys = (keys: string[]) => keys.filter((k) => (FEATHR_VARIABLES as readonly string[]).includes(k)).length;

  return {
    installs: () => findInstalls({ ...ctx, subscriptionId: deps.azure.subscriptionId }, clusters),
    async detect(): Promise<Detected> {
      const problems: string[] = [];
      const contexts = await clusters
        .contexts()
        .catch((error: unknown) => (problems.push(`Can't list kube contexts: ${message(error)}`), []));
      const current = contexts.find((c) => c.current)?.name;
      const tools = current
        ? await (
            await clusters.port(current)
          )
            .toolVersions()
            .catch((error: unknown) => (problems.push(message(error)), {}))
        : {};
      const versions = tools as { kubectl?: string; helm?: string };
      if (!versions.kubectl) problems.push("kubectl isn't on PATH; cluster steps need it.");
      if (!versions.helm) problems.push("helm isn't on PATH; installing Feathr needs it.");
      return {
        sandbox: deps.sandbox,
        ...(deps.account ? { account: deps.account } : {}),
        tenantId: deps.azure.tenantId,
        subscriptionId: deps.azure.subscriptionId,
        ...(current ? { kubeContext: current } : {}),
        ...(versions.kubectl ? { kubectl: versions.kubectl } : {}),
        ...(versions.helm ? { helm: versions.helm } : {}),
        problems,
      };
    },
    subscriptions: async () =>
      deps.subscriptions ?? [
        { id: deps.azure.subscriptionId, name: deps.sandbox ? 'Sandbox subscription' : 'Signed-in subscription' },
      ],
    resourceGroups: () => listResourceGroups(ctx),
    locations: () => listLocations(ctx),
    async checkVaultName(name) {
      const check = await checkVaultName(ctx, name);
      if (check.available) return { available: true };
      // Azure says "already in use" for a soft-deleted vault too; ours can be recovered.
      const deleted = await findDeletedVault(ctx, name);
      if (!deleted) return { available: false, ...(check.message ? { message: check.message } : {}) };
      return {
        available: false,
        deleted: {
          name: deleted.name,
          location: deleted.location,
          purgeProtection: deleted.purgeProtectionEnabled === true,
          ...(deleted.scheduledPurgeDate ? { scheduledPurgeDate: deleted.scheduledPurgeDate } : {}),
        },
      };
    },
    vaults: () => listVaults(ctx),
    aksClusters: () => listAksClusters(ctx),
    vnets: (resourceGroup) => listVnetInfos(ctx, resourceGroup),
    networkFacts: (input) => readNetworkFacts(ctx, input),
    kubeContexts: () => clusters.contexts(),
    async egressIps(context, existingVault) {
      const hints = await clusters.egressHints(context);
      if (hints.length > 0 || !existingVault) return hints;
      // A vault whose firewall refuses the cluster names the address it saw (403 "Client address:").
      // One probe per Linux node: each node may leave from its own address, and the allowlist
      // must hold every one of them, not only the node one pod happened to land on.
      const kube = await clusters.port(context);
      const nodes = (await kube.csiDriverState().catch(() => undefined))?.nodes.map((n) => n.name) ?? [];
      const probes = await Promise.all(
        (nodes.length > 0 ? nodes : [undefined]).map(async (nodeName) => {
          const probe = await kube
            .runProbe({
              namespace: 'default',
              hostNetwork: false,
              vaultName: existingVault,
              ...(nodeName ? { nodeName } : {}),
            })
            .catch(() => undefined);
          return probe?.clientAddress
            ? [{ ...(nodeName ? { node: nodeName } : {}), address: probe.clientAddress }]
            : [];
        }),
      );
      return probes.flat();
    },
    async oidcIssuer(context) {
      const aks = (await listAksClusters(ctx).catch(() => [])).find((c) => c.name === context);
      return aks?.oidcIssuer ?? clusters.oidcIssuer(context);
    },
    async csiState(context) {
      return (await clusters.port(context)).csiDriverState().catch(() => undefined);
    },
    async secretCandidates(context) {
      const all = await clusters.secretsWithKeys(context);
      // Secrets holding Feathr's variables first: the legacy one is the usual answer.
      return all
        .filter((s) => s.keys.some((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)))
        .sort((a, b) => feathrKeys(b.keys) - feathrKeys(a.keys));
    },
    envFileNames: async (path) => (await readEnvFile(resolve(deps.cwd, path), `.env ${path}`)).names,
    secretConflicts: ({ context, sources }) =>
      secretConflicts(sources, { kube: () => clusters.port(context), cwd: deps.cwd, env: deps.env ?? process.env }),
    async secretStates({ context, vault, sources, mapping }) {
      const all = (state: VaultNameState) => Object.fromEntries(mapping.map((m) => [m.vaultName, state]));
      if (vault.create) return all('new');
      const rename = Object.fromEntries(
        mapping.filter((m) => m.vaultName !== m.env.replace(/_/g, '-')).map((m) => [m.env, m.vaultName]),
      );
      // The same diff the migration step plans with; values stay inside it.
      const prepared = await prepareMigration(
        {
          azure: deps.azure,
          resourceGroup: vault.resourceGroup,
          vaultName: vault.name,
          secrets: { sources, rename },
          collect: { kube: await clusters.port(context), baseDir: deps.cwd },
          stateDir: deps.stateDir,
          signal: deps.signal,
          progress: () => undefined,
          pollIntervalMs: 100,
          waitTimeoutMs: 0,
        },
        { waitForRole: false },
      );
      const states: Record<string, VaultNameState> = all('new');
      for (const item of prepared.vault?.diff.items ?? [])
        states[item.entry.vaultName] = item.kind === 'deleted' ? 'new' : item.kind;
      for (const name of prepared.vault?.diff.onlyInVault ?? []) states[name] = 'in vault';
      return states;
    },
  };
}
