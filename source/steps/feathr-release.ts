/**
 * The Feathr Helm release: `helm upgrade --install --wait --timeout` of charts/feathr-online with
 * values built from the mapping and the identity (never a secret value). It runs last: after
 * the driver, the namespace, the credentials, read access, the secrets and the network, since
 * `--wait` only succeeds once a pod has mounted every secret. Feathr's pipeline.conf and
 * lookup.json go with --set-file; with rotation on, a run that writes a secret bumps the
 * chart's rotation token so the pods restart with it. A release stuck in `pending-*`
 * blocks the plan with the rollback that frees it. Verify reads back: release
 * deployed with these values, the SecretProviderClass, and the synced Secret's keys.
 */
import { defineStep } from './step-context.js';
import { blocked, fromChanges } from '../kernel/plan.js';
import { ExternalCommandError, UserError } from '../kernel/errors.js';
import type { KubePort } from '../kube/port.js';
import { SECRETS_IN } from './migrate-secrets.js';
import { CSI_DRIVER_STEP } from './csi-driver.js';
import { FEATHR_NAMESPACE_STEP } from './feathr-namespace.js';
import { SP_CREDENTIALS_STEP } from './sp-credentials-secret.js';
import { KUBE_CONTEXT_STEP } from './kube-shared.js';
import { chartDir, chartFullname } from './feathr-release-values.js';
import { changesFor, pendingFix } from './feathr-release-plan.js';
import { helmFiles } from './feathr-release-files.js';
import { pendingSecretWrites, plannedToken } from './feathr-release-rotation.js';

export const FEATHR_RELEASE_STEP = 'feathr-release';

/** Turns helm's `--wait` timeout into the pods' own reason (FailedMount etc.), names only. */
async function explainFailure(kube: KubePort, namespace: string, error: unknown): Promise<never> {
  if (!(error instanceof ExternalCommandError)) throw error;
  const events = await kube.warningEvents(namespace).catch(() => []);
  const details = events.slice(-5).map((e) => `${e.object} ${e.reason}: ${e.message}`);
  throw new UserError(
    `Feathr's pods didn't become ready in namespace ${namespace}: ${error.message.split('\n')[0]}`,
    `Run \`feathr-kv-setup check\` for a diagnosis, or \`kubectl describe pods -n ${namespace} --context ${kube.context}\`.`,
    details,
  );
}

export const feathrReleaseStep = defineStep<
  'config' | 'azure' | 'signal' | 'kube' | 'secrets' | 'waitTimeoutMs' | 'pollIntervalMs' | 'progress'
>({
  id: FEATHR_RELEASE_STEP,
  title: 'Feathr Helm release',
  dependsOn: [
    KUBE_CONTEXT_STEP,
    CSI_DRIVER_STEP,
    FEATHR_NAMESPACE_STEP,
    SP_CREDENTIALS_STEP,
    'aks-addon',
    'workload-identity',
    'reader-access',
    SECRETS_IN,
    'vault-lockdown',
    'vault-firewall',
  ],
  appliesTo: () => true,
  async plan(ctx) {
    const { seen, changes, observed } = await changesFor(ctx, { countSecretWrites: () => pendingSecretWrites(ctx) });
    if (seen.status?.status.startsWith('pending-')) {
      return blocked(
        observed,
        `Helm release ${seen.namespace}/${seen.release} is stuck in ${seen.status.status}: an earlier helm run was interrupted.`,
        pendingFix(seen.status, seen.kube.context),
      );
    }
    return fromChanges(observed, changes);
  },
  async apply(ctx, planned) {
    const { seen, desired, files } = await changesFor(ctx, { rotationToken: plannedToken(planned.changes) });
    if (!desired.values)
      throw new UserError(
        `Can't install Feathr yet: the values need ${desired.pending}.`,
        'Run the same command again.',
      );
    ctx.progress(`Installing release ${seen.namespace}/${seen.release} and waiting for its pods`);
    await seen.kube
      .helmUpgradeInstall({
        release: seen.release,
        namespace: seen.namespace,
        chart: chartDir(ctx),
        values: desired.values,
        files: helmFiles(files),
        wait: true,
        timeoutSeconds: Math.max(1, Math.round(ctx.waitTimeoutMs / 1000)),
      })
      .catch((error: unknown) => explainFailure(seen.kube, seen.namespace, error));
  },
  async verify(ctx) {
    const { seen, desired, changes } = await changesFor(ctx);
    const pending = changes.filter((c) => c.mark !== '=');
    if (!seen.status || pending.length > 0) {
      throw new UserError(
        `Helm release ${seen.namespace}/${seen.release} doesn't match the preset after the install.`,
        'Run the same command again.',
        pending.map((c) => `${c.field ?? 'release'}: ${c.reason}`),
      );
    }
    const fullname = chartFullname(seen.release);
    const kv = desired.values!.keyVault;
    const spcName = kv.secretProviderClassName || `${fullname}-kv`;
    const syncedName = kv.syncedSecretName || `${fullname}-secrets`;
    const spc = await seen.kube.getSecretProviderClass(seen.namespace, spcName, syncedName);
    const params = (spc?.spec as { parameters?: Record<string, string> } | undefined)?.parameters;
    if (params?.keyvaultName !== kv.name)
      throw new UserError(
        `SecretProviderClass ${seen.namespace}/${spcName} is missing or doesn't name vault ${kv.name}.`,
        `kubectl get secretproviderclass ${spcName} -n ${seen.namespace} -o yaml --context ${seen.kube.context}`,
      );
    if ((desired.values!.replicaCount ?? 1) === 0)
      return `Release ${seen.namespace}/${seen.release} deployed (revision ${seen.status.revision}); 0 replicas, so Secret ${syncedName} syncs once a pod mounts ${spcName}`;
    const keys = (await seen.kube.secretKeys(seen.namespace, syncedName)) ?? [];
    const missing = desired.envs.filter((env) => !keys.includes(env));
    if (missing.length > 0)
      throw new UserError(
        `Secret ${seen.namespace}/${syncedName} lacks ${missing.join(', ')}: the CSI driver hasn't synced them.`,
        `Run \`feathr-kv-setup check\`, or look at \`kubectl get events -n ${seen.namespace} --context ${seen.kube.context}\`.`,
      );
    return `Release ${seen.namespace}/${seen.release} deployed (revision ${seen.status.revision}): SecretProviderClass ${spcName}, Secret ${syncedName} synced with ${desired.envs.length} keys`;
  },
});
