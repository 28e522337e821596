/**
 * The wizard's answers and their one way into the configuration: `toConfigInput` builds the
 * very object a preset file holds, and resolve-answers.ts runs it through the same
 * validation presets go through. So a saved preset and the guided run can't disagree. No zod
 * here: this module loads with the first frame.
 */
import type { ConfigInput } from '../config/schema.js';
import type { SecretSourceInput } from '../discovery/port.js';

type Target = 'azure' | 'other-cloud';

export interface Answers {
  target?: Target;
  subscriptionId?: string;
  tenantId?: string;
  resourceGroup?: string;
  location?: string;
  vault?: { name: string; create: boolean; recover?: boolean };
  kubeContext?: string;
  aks?: { resourceGroup: string; name: string };
  privateEndpoint?: { vnet: string; subnet: string; addressPrefix?: string; resourceGroup?: string };
  allowedIps?: string[];
  oidcIssuer?: string;
  csi?: { install: 'aks-addon' | 'helm' | 'existing'; rotation: { enabled: boolean; pollInterval: string } };
  identity?:
    | { mode: 'aks-addon' }
    | { mode: 'workload-identity'; name: string; serviceAccount: string }
    | { mode: 'service-principal'; clientId: string; clientSecretEnv: string };
  secrets?: { sources: SecretSourceInput[]; rename: Record<string, string>; precedence?: 'error-on-conflict' | 'later-wins' };
}

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
    network:
      a.target === 'other-cloud'
        ? { allowedIps: a.allowedIps ?? [] }
        : a.privateEndpoint
          ? { privateEndpoint: { ...a.privateEndpoint } }
          : {},
    cluster: {
      kubeContext: a.kubeContext ?? '',
      ...(a.target !== 'other-cloud' && a.aks ? { aks: { ...a.aks } } : {}),
      ...(a.target === 'other-cloud' && a.oidcIssuer && identity.mode === 'workload-identity' ? { oidcIssuer: a.oidcIssuer } : {}),
    },
    csi: a.csi ?? { install: a.target === 'other-cloud' ? 'helm' : 'aks-addon', rotation: { enabled: true, pollInterval: '2m' } },
    identity:
      identity.mode === 'workload-identity'
        ? { mode: identity.mode, workloadIdentity: { name: identity.name, serviceAccount: identity.serviceAccount } }
        : identity.mode === 'service-principal'
          ? { mode: identity.mode, servicePrincipal: { clientId: identity.clientId, clientSecretEnv: identity.clientSecretEnv } }
          : { mode: identity.mode },
    secrets: { sources: a.secrets?.sources ?? [], rename: a.secrets?.rename ?? {}, ...(a.secrets?.precedence ? { precedence: a.secrets.precedence } : {}) },
  };
  return input;
}
