/**
 * The Feathr release installed straight through the tool's own adapter (not through the step),
 * for the release step's tests: the preset they share and the install they start from.
 */
import type { SetupConfig } from '../../source/config/setup-config.js';
import type { StepContext } from '../../source/steps/step-context.js';
import { chartDir, desiredValues } from '../../source/steps/feathr-release-values.js';
import { csiDriverInstallRequest } from '../../source/kube/csi-install.js';

/** Another cloud, the driver by Helm, the service principal identity, the legacy Secret. */
export const RELEASE_CONFIG: SetupConfig = {
  target: 'other-cloud',
  azure: { subscriptionId: '00000000-0000-0000-0000-00000000feed', resourceGroup: 'feathr-rg', location: 'eastus' },
  vault: { name: 'feathr-kv-eks' },
  cluster: { kubeContext: 'feathr-eks' },
  csi: { install: 'helm' },
  identity: {
    mode: 'service-principal',
    servicePrincipal: { clientId: '00000000-0000-0000-0000-00000000b002', clientSecretEnv: 'FEATHR_SP_SECRET' },
  },
  secrets: { sources: [{ kubernetesSecret: { namespace: 'legacy', name: 'feathr-online-secret' } }] },
};

/** The CSI driver, then the release with the values the step would give it (changed by `change`). */
export async function installDirectly(
  ctx: StepContext,
  change: (values: Record<string, unknown>) => Record<string, unknown> = (v) => v,
): Promise<void> {
  const { values } = await desiredValues(ctx);
  // The chart's SecretProviderClass needs the driver's CRDs, as on a real cluster.
  await ctx.kube!.helmUpgradeInstall(
    csiDriverInstallRequest({ repoUrl: ctx.config.csi!.chartRepo!, version: '1.8.2' }),
  );
  await ctx.kube!.ensureNamespace('feathr');
  // replicaCount 0: no pod has to mount, so this install needs no vault.
  await ctx.kube!.helmUpgradeInstall({
    release: 'feathr-online',
    namespace: 'feathr',
    chart: chartDir(ctx),
    values: change({ ...values!, replicaCount: 0 }),
    wait: false,
    timeoutSeconds: 60,
  });
}
