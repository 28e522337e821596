/**
 * An existing Kubernetes Secret as a secret source (the legacy install's feathr-online-secret).
 * The port returns decoded values; they stay in memory and go nowhere but the migration.
 */
import { UserError } from '../kernel/errors.js';
import type { KubePort } from '../kube/port.js';
import type { SourcedValue } from './secret-entry.js';

function kubernetesSecretLabel(namespace: string, name: string): string {
  return `Kubernetes Secret ${namespace}/${name}`;
}

export async function readKubernetesSecretValues(
  kube: Pick<KubePort, 'context' | 'readSecret'>,
  namespace: string,
  name: string,
): Promise<SourcedValue[]> {
  const data = await kube.readSecret(namespace, name);
  if (!data) {
    throw new UserError(
      `Can't find Secret ${namespace}/${name} in kube context ${kube.context}.`,
      `Check the name and namespace (kubectl --context ${kube.context} -n ${namespace} get secrets), or remove this source from secrets.sources.`,
    );
  }
  const label = kubernetesSecretLabel(namespace, name);
  return Object.entries(data).map(([env, value]) => ({ env, source: label, value }));
}
