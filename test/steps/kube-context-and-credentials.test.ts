/**
 * The kube-context line of the plan, the Feathr namespace, and the service-principal
 * `secrets-store-creds` Secret (from an environment variable, labelled for the driver, and
 * never shown: not in the plan, its stamp, or an error).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { kubeContextStep } from '../../source/steps/kube-context.js';
import { feathrNamespaceStep } from '../../source/steps/feathr-namespace.js';
import { spCredentialsSecretStep } from '../../source/steps/sp-credentials-secret.js';
import { startKubeHarness, type KubeHarness } from './kube-harness.js';
import { namespaceLabels, secretData, secretLabels } from '../helpers/cluster-peek.js';

const CONFIG: SetupConfig = {
  target: 'other-cloud',
  azure: { subscriptionId: '00000000-0000-0000-0000-00000000feed', resourceGroup: 'feathr-rg', location: 'eastus' },
  vault: { name: 'feathr-kv-eks' },
  cluster: { kubeContext: 'feathr-eks' },
  identity: {
    mode: 'service-principal',
    servicePrincipal: { clientId: '00000000-0000-0000-0000-00000000b002', clientSecretEnv: 'FEATHR_SP_SECRET' },
  },
  feathr: { namespace: 'feathr-test' },
};

describe('kube-context, feathr-namespace and sp-credentials-secret steps', () => {
  let h: KubeHarness;
  beforeAll(async () => {
    h = await startKubeHarness();
  });
  afterAll(async () => h.close());

  it('puts the kube context into the plan as a line the approval covers', async () => {
    const planned = await kubeContextStep.plan(h.stepContext(CONFIG));
    expect(planned.action).toBe('no-op');
    expect(planned.changes).toEqual([
      {
        mark: '=',
        resource: 'kube context feathr-eks',
        reason: 'every cluster change in this plan goes to this context (Kubernetes v1.32.3)',
      },
    ]);
  });

  it('blocks when the port is bound to another context than the preset names, or the context is unknown', async () => {
    const ctx = { ...h.stepContext(CONFIG), kube: h.kube('feathr-aks') };
    const planned = await kubeContextStep.plan(ctx);
    expect(planned).toMatchObject({
      action: 'blocked',
      blockedReason: 'The cluster connection uses kube context feathr-aks, but the preset names feathr-eks.',
      hint: 'Pass --kube-context feathr-eks, or set cluster.kubeContext to feathr-aks.',
    });
    const unknown = await kubeContextStep.plan(h.stepContext({ ...CONFIG, cluster: { kubeContext: 'nowhere' } }));
    expect(unknown.action).toBe('blocked');
    expect(unknown.blockedReason).toMatch(/^Can't reach the cluster of kube context nowhere: /);
  });

  it('creates the namespace with the managed-by label', async () => {
    const ctx = h.stepContext(CONFIG);
    const planned = await feathrNamespaceStep.plan(ctx);
    expect(planned.changes).toEqual([
      {
        mark: '+',
        resource: 'namespace feathr-test (context feathr-eks)',
        reason: 'Feathr and its synced Secret live here',
      },
    ]);
    await feathrNamespaceStep.apply(ctx, planned);
    expect(await feathrNamespaceStep.verify(ctx)).toBe('Namespace feathr-test ready');
    expect(namespaceLabels(h.sandbox, 'feathr-eks', 'feathr-test')).toMatchObject({
      'app.kubernetes.io/managed-by': 'feathr-kv-setup',
    });
    expect((await feathrNamespaceStep.plan(ctx)).action).toBe('no-op');
  });

  it('blocks without the client secret in the environment, naming the variable', async () => {
    const planned = await spCredentialsSecretStep.plan(h.stepContext(CONFIG, {}));
    expect(planned).toMatchObject({
      action: 'blocked',
      blockedReason:
        "FEATHR_SP_SECRET isn't set, so the service principal's client secret can't be stored in the cluster.",
      hint: 'Export FEATHR_SP_SECRET with the client secret value (not its id) before running; identity.servicePrincipal.clientSecretEnv names the variable.',
    });
  });

  it('writes the labelled Secret, and shows a changed client secret as ~ without its value', async () => {
    const first = 'first-sp-secret-value';
    const ctx = h.stepContext(CONFIG, { FEATHR_SP_SECRET: first });
    const planned = await spCredentialsSecretStep.plan(ctx);
    expect(planned.changes.map((c) => `${c.mark} ${c.resource}`)).toEqual([
      '+ Secret feathr-test/secrets-store-creds (context feathr-eks)',
    ]);
    await spCredentialsSecretStep.apply(ctx, planned);
    expect(await spCredentialsSecretStep.verify(ctx)).toBe(
      "Secret feathr-test/secrets-store-creds holds the service principal's credentials",
    );
    expect(secretLabels(h.sandbox, 'feathr-eks', 'feathr-test', 'secrets-store-creds')).toEqual({
      'secrets-store.csi.k8s.io/used': 'true',
      'app.kubernetes.io/managed-by': 'feathr-kv-setup',
    });
    expect(secretData(h.sandbox, 'feathr-eks', 'feathr-test', 'secrets-store-creds')).toEqual({
      clientid: '00000000-0000-0000-0000-00000000b002',
      clientsecret: first,
    });
    expect((await spCredentialsSecretStep.plan(ctx)).action).toBe('no-op');

    const second = 'second-sp-secret-value';
    const changed = await spCredentialsSecretStep.plan(h.stepContext(CONFIG, { FEATHR_SP_SECRET: second }));
    expect(changed.changes).toEqual([
      {
        mark: '~',
        resource: 'Secret feathr-test/secrets-store-creds (context feathr-eks)',
        field: 'clientsecret',
        reason: 'differs from $FEATHR_SP_SECRET',
      },
    ]);
    const text = JSON.stringify(changed);
    expect(text).not.toContain(first);
    expect(text).not.toContain(second);
  });
});
