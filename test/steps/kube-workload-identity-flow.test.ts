/**
 * presets/other-cloud-workload-identity.yaml end to end in the sandbox: the release uses the
 * managed identity's clientId (SPC clientID), its ServiceAccount is the one the federated
 * credential trusts, and the pods mount with no secret stored in the cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../../source/config/load-preset.js';
import { createAzureClients } from '../../source/azure/clients.js';
import { describeClusters } from '../../source/sandbox/cluster/describe.js';
import { startKubeHarness, type KubeHarness } from './kube-harness.js';

describe('other-cloud workload-identity preset with the cluster steps, in the sandbox', () => {
  let h: KubeHarness;
  beforeAll(async () => {
    h = await startKubeHarness();
  });
  afterAll(async () => h.close());

  it('deploys with the identity clientId and the federated ServiceAccount, and no credentials Secret', async () => {
    const config = await loadPreset('presets/other-cloud-workload-identity.yaml');
    const { outcome, events } = await h.run(config, 'apply');
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.plan.steps.map((s) => s.stepId)).not.toContain('sp-credentials-secret');

    const identity = await createAzureClients(h.connection).msi.userAssignedIdentities.get(
      'feathr-rg',
      'feathr-kv-reader',
    );
    const eks: any = describeClusters(h.sandbox.state).clusters.find((c) => c.context === 'feathr-eks');
    const feathr = eks.namespaces.find((n: any) => n.name === 'feathr');
    expect(feathr.secretProviderClasses[0].spec.parameters).toMatchObject({
      keyvaultName: 'feathr-kv-eks-wi',
      clientID: identity.clientId,
    });
    expect(feathr.serviceAccounts).toContainEqual({
      name: 'feathr-online',
      annotations: expect.objectContaining({
        'azure.workload.identity/client-id': identity.clientId,
        'meta.helm.sh/release-name': 'feathr-online',
      }),
    });
    expect(feathr.secrets.map((s: any) => s.name)).toEqual(['feathr-online-secrets']);
  });
});
