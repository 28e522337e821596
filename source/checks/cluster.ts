/**
 * Cluster: the context answers, the operator may create what the install needs in the
 * namespace, the Feathr release is deployed, and the CSI driver and the Azure provider are
 * ready on every Linux node with secret sync on.
 */
import type { FeathrChartValues } from '../kube/feathr-values.js';
import { diagnosisContext } from './diagnosis-context.js';
import { fixes } from './fixes.js';
import { fail, pass, skip, type Check, type CheckContext } from './types.js';

const namespaceOf = (ctx: CheckContext) => ctx.config.feathr?.namespace ?? 'feathr';
const releaseOf = (ctx: CheckContext) => ctx.config.feathr?.release ?? 'feathr-online';

/** The chart's own naming (templates/_helpers.tpl), so the probe mounts the same SPC the pods do. */
export function chartNames(
  release: string,
  values: FeathrChartValues,
): { spcName: string; serviceAccount: string; syncedSecret: string } {
  const fullname = (release.includes('feathr-online') ? release : `${release}-feathr-online`)
    .slice(0, 63)
    .replace(/-+$/, '');
  return {
    spcName: values.keyVault?.secretProviderClassName || `${fullname}-kv`,
    serviceAccount: values.serviceAccount?.name || fullname,
    syncedSecret: values.keyVault?.syncedSecretName || `${fullname}-secrets`,
  };
}

/** What the install creates in the namespace (the probe pod included). */
const NAMESPACE_RIGHTS: [verb: string, resource: string][] = [
  ['create', 'secrets'],
  ['create', 'serviceaccounts'],
  ['create', 'deployments.apps'],
  ['create', 'pods'],
  ['create', 'secretproviderclasses.secrets-store.csi.x-k8s.io'],
];

export const clusterChecks: readonly Check[] = [
  {
    id: 'cluster.context',
    category: 'cluster',
    phase: 'preflight',
    description: 'the kube context is reachable',
    severity: 'fatal',
    hint: (ctx) => {
      const aks = ctx.config.cluster?.aks;
      return aks
        ? `az aks get-credentials --resource-group ${aks.resourceGroup} --name ${aks.name} --context ${ctx.kube?.context ?? aks.name}`
        : `kubectl config get-contexts, then pass the right one with --kube-context (now: ${ctx.kube?.context ?? 'none'})`;
    },
    async run(ctx) {
      if (!ctx.kube) return skip('no Kubernetes connection in this run');
      const reach = await ctx.kube.reachability();
      if (!reach.reachable)
        return fail(`Can't reach context ${ctx.kube.context}: ${reach.error ?? 'no answer'}.`, {
          facts: { clusterReachable: false },
        });
      return pass(`${ctx.kube.context}${reach.serverVersion ? ` (Kubernetes ${reach.serverVersion})` : ''}`, {
        clusterReachable: true,
      });
    },
  },
  {
    id: 'cluster.namespace-rights',
    category: 'cluster',
    phase: 'preflight',
    description: 'you may create the install in the namespace',
    severity: 'fatal',
    hint: (ctx) =>
      `Ask a cluster admin for edit rights in the namespace: kubectl create rolebinding feathr-kv-setup-edit --clusterrole=edit --user=<you> --namespace ${namespaceOf(ctx)}`,
    async run(ctx, facts) {
      if (!ctx.kube || !facts.clusterReachable) return skip("the cluster isn't reachable");
      const ns = namespaceOf(ctx);
      const questions = [
        { verb: 'create', resource: 'namespaces' },
        ...NAMESPACE_RIGHTS.map(([verb, resource]) => ({ verb, resource, namespace: ns })),
      ];
      const [exists, [mayCreateNamespace, ...answers]] = await Promise.all([
        ctx.kube.namespaceExists(ns),
        ctx.kube.canIAll(questions),
      ]);
      const denied = questions.slice(1).flatMap((q, i) => (answers[i] ? [] : [`${q.verb} ${q.resource}`]));
      if (!exists && !mayCreateNamespace) denied.unshift('create namespaces');
      return denied.length > 0 ? fail(`You can't ${denied.join(', ')} in namespace ${ns}.`) : pass(ns);
    },
  },
  {
    id: 'cluster.csi-driver',
    category: 'cluster',
    phase: 'installed',
    description: 'the CSI driver and Azure provider are ready on every Linux node',
    severity: 'fatal',
    hint: (ctx, facts) => fixes.installDriver(diagnosisContext(ctx, facts)),
    async run(ctx, facts) {
      if (!ctx.kube || !facts.clusterReachable) return skip("the cluster isn't reachable");
      const csi = await ctx.kube.csiDriverState();
      if (!csi.driverRegistered)
        return fail(`CSIDriver secrets-store.csi.k8s.io isn't registered, so no pod can mount the vault's secrets.`, {
          facts: { csi },
          diagnosis: 'csi-driver-not-registered',
        });
      if (!csi.azureProviderInstalled)
        return fail("The Azure provider DaemonSet isn't installed, so the driver can't read Key Vault.", {
          facts: { csi },
        });
      const notReady = csi.nodes.filter((n) => !n.driverReady || !n.providerReady).map((n) => n.name);
      if (notReady.length > 0 && notReady.length === csi.nodes.length)
        return fail(`The driver or provider isn't ready on any node (${notReady.join(', ')}).`, { facts: { csi } });
      if (notReady.length > 0) {
        return fail(
          `The driver or provider isn't ready on node ${notReady.join(', ')}: a Feathr pod scheduled there stays in ContainerCreating.`,
          {
            facts: { csi },
            hint: "Add tolerations for those nodes' taints to the driver and provider DaemonSets (the driver chart defaults to none), or keep Feathr off them with a nodeSelector in feathr.values.",
          },
        );
      }
      return pass(`installed by ${csi.installedBy}, ready on ${csi.nodes.length} node(s)`, { csi });
    },
  },
  // After the driver: the driver's gather lists every Helm release, and the port answers this
  // release's status from that list instead of asking helm again.
  {
    id: 'cluster.release',
    category: 'cluster',
    phase: 'installed',
    description: 'the Feathr release is deployed',
    severity: 'fatal',
    hint: (ctx) =>
      `Run the install: feathr-kv-setup --preset <file> --yes (or helm rollback ${releaseOf(ctx)} --namespace ${namespaceOf(ctx)} for a release stuck in pending-*)`,
    async run(ctx, facts) {
      if (!ctx.kube || !facts.clusterReachable) return skip("the cluster isn't reachable");
      const [release, ns] = [releaseOf(ctx), namespaceOf(ctx)];
      const status = await ctx.kube.helmStatus(release, ns);
      if (!status) return fail(`Release ${release} isn't installed in namespace ${ns}.`);
      if (status.status !== 'deployed')
        return fail(`Release ${release} is ${status.status} (revision ${status.revision}).`);
      const values = ((await ctx.kube.helmValues(release, ns)) ?? {}) as FeathrChartValues;
      const names = chartNames(release, values);
      return pass(`${release} revision ${status.revision}`, {
        release: { name: release, namespace: ns, values, spcName: names.spcName, serviceAccount: names.serviceAccount },
      });
    },
  },
  {
    id: 'cluster.csi-sync',
    category: 'cluster',
    phase: 'installed',
    description: 'secret sync is enabled',
    severity: 'fatal',
    hint: (ctx, facts) => fixes.enableSync(diagnosisContext(ctx, facts)),
    async run(_ctx, facts) {
      if (!facts.csi?.driverRegistered) return skip("the CSI driver isn't installed");
      if (facts.csi.syncSecretEnabled === null)
        return {
          status: 'warn',
          message: "can't tell whether secret sync is on (no Helm release or add-on to read it from)",
        };
      if (!facts.csi.syncSecretEnabled) {
        return fail(
          'Secret sync is off, so the Secret Feathr reads its environment variables from is never created and its pods fail with "secret not found".',
          { diagnosis: 'sync-rbac-missing' },
        );
      }
      return pass();
    },
  },
];
