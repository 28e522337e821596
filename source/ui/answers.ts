/**
 * The wizard's answers' one way into the configuration: `toConfigInput` builds the
 * very object a preset file holds, and resolve-answers.ts runs it through the same
 * validation presets go through. So a saved preset and the guided run can't disagree. No zod
 * here: this module loads with the first frame.
 */
import type { ConfigInput } from '../config/schema.js';
import type { Answers } from '../discovery/port.js';

export function toConfigInput(a: Answers): ConfigInput {
  const identity = a.identity ?? { mode: 'aks-addon' as const };
  const input: ConfigInput = {
    version: 1,
    target: a.target ?? 'azure',
    azure: {
      subscriptionId: a.subscriptionId ?? '',
      resourceGroup: a.resourceGroup ?? '',
      location: a.location ?? '',
      ...(a.tenantId ? { tenantId: a.tenantId } : {}),
    },
    vault: {
      name: a.vault?.name ?? '',
      create: a.vault?.create ?? true,
      ...(a.vault?.recover ? { recover: true } : {}),
    },
    network: {
      ...(a.target === 'other-cloud'
        ? { allowedIps: a.allowedIps ?? [] }
        : a.privateEndpoint
          ? { privateEndpoint: { ...a.privateEndpoint } }
          : {}),
      ...(a.lockDownExistingVault && a.vault?.create === false ? { lockDownExistingVault: true } : {}),
    },
    cluster: {
      kubeContext: a.kubeContext ?? '',
      ...(a.target !== 'other-cloud' && a.aks ? { aks: { ...a.aks } } : {}),
      ...(a.target === 'other-cloud' && a.oidcIssuer && identity.mode === 'workload-identity'
        ? { oidcIssuer: a.oidcIssuer }
        : {}),
    },
    csi: a.csi ?? {
      install: a.target === 'other-cloud' ? 'helm' : 'aks-addon',
      rotation: { enabled: true, pollInterval: '2m' },
    },
    identity:
      identity.mode === 'workload-identity'
        ? { mode: identity.mode, workloadIdentity: { name: identity.name, serviceAccount: identity.serviceAccount } }
        : identity.mode === 'service-principal'
          ? {
              mode: identity.mode,
              servicePrincipal: { clientId: identity.clientId, clientSecretEnv: identity.clientSecretEnv },
            }
          : { mode: identity.mode },
    feathr: { monitor: a.monitor ?? { enabled: true, schedule: '*/5 * * * *' } },
    secrets: {
      sources: a.secrets?.sources ?? [],
      rename: a.secrets?.rename ?? {},
      ...(a.secrets?.precedence ? { precedence: a.secrets.precedence } : {}),
    },
  };
  return input;
}
