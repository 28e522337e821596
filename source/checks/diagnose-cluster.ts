/** Failure texts from the CSI driver: the driver itself, secret sync, the service-principal Secret. */
import { fixes } from './fixes.js';
import type { Rule } from './diagnosis-types.js';

export const clusterRules: readonly Rule[] = [
  {
    code: 'csi-driver-not-registered',
    pattern: /driver name secrets-store\.csi\.k8s\.io not found in the list of registered CSI drivers/,
    explain: (_m, _t, ctx) => ({
      cause: "The Secrets Store CSI driver isn't registered on the node that runs the pod, so the volume can't mount.",
      fix: fixes.installDriver(ctx),
      facts: {},
    }),
  },
  {
    code: 'sync-rbac-missing',
    pattern: /cannot create resource \\?"secrets\\?"|failed to create Kubernetes secret/,
    explain: (_m, _t, ctx) => ({
      cause:
        "The CSI driver can't create the synced Kubernetes Secret: secret sync is off, so its service account has no rights on Secrets.",
      fix: fixes.enableSync(ctx),
      facts: {},
    }),
  },
  {
    code: 'node-publish-secret-missing',
    pattern: /fetching NodePublishSecretRef ([^/\s]+)\/([^\s]+) failed/,
    explain: (m, _t, ctx) => ({
      cause: `The service-principal Secret ${m[2]} doesn't exist in namespace ${m[1]}, so the driver has no credentials.`,
      fix: fixes.createSpSecret(ctx, m[1] ?? '', m[2] ?? ''),
      facts: { namespace: m[1] ?? '', secret: m[2] ?? '' },
    }),
  },
];
