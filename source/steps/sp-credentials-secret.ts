/**
 * service-principal mode: the `secrets-store-creds` Secret the CSI volume names as
 * nodePublishSecretRef (keys clientid, clientsecret), in Feathr's namespace because the driver
 * only looks in the pod's namespace, labelled secrets-store.csi.k8s.io/used=true because the
 * driver's Secret watch is filtered by it. The client secret is read from the
 * environment variable the preset names and travels only through KubePort.applySecret (stdin);
 * the plan and its stamp carry whether it matches, never the value or a hash of it.
 */
import { type Change } from '../kernel/step.js';
import { defineStep, type StepContext } from './step-context.js';
import { blocked, fromChanges } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import { identityMode } from '../config/setup-config.js';
import { SP_SECRET_NAME } from '../kube/values-builder.js';
import { FEATHR_NAMESPACE_STEP } from './feathr-namespace.js';
import { CSI_USED_LABEL, KUBE_CONTEXT_STEP, feathrNamespace, inContext, kubeOf } from './kube-shared.js';
import { MANAGED_BY_LABEL } from '../domain/ownership.js';

export const SP_CREDENTIALS_STEP = 'sp-credentials-secret';

type Ctx = Pick<StepContext, 'config' | 'kube' | 'secrets'>;

type Wanted =
  { ok: true; clientId: string; clientSecret: string; envName: string } | { ok: false; problem: string; hint: string };

/** What the step would store, or why it can't; the preflight asks the same. */
export function spCredentials(ctx: Pick<Ctx, 'config' | 'secrets'>): Wanted {
  const sp = ctx.config.identity?.servicePrincipal;
  if (!sp?.clientId)
    return {
      ok: false,
      problem: "Service-principal mode needs the app's client id.",
      hint: 'Set identity.servicePrincipal.clientId in the preset.',
    };
  const envName = sp.clientSecretEnv;
  if (!envName)
    return {
      ok: false,
      problem: 'Service-principal mode needs the name of the environment variable holding the client secret.',
      hint: 'Set identity.servicePrincipal.clientSecretEnv (e.g. FEATHR_SP_SECRET) in the preset.',
    };
  const value = (ctx.secrets?.env ?? process.env)[envName];
  if (!value) {
    return {
      ok: false,
      problem: `${envName} isn't set, so the service principal's client secret can't be stored in the cluster.`,
      hint: `Export ${envName} with the client secret value (not its id) before running; identity.servicePrincipal.clientSecretEnv names the variable.`,
    };
  }
  return { ok: true, clientId: sp.clientId, clientSecret: value, envName };
}

interface Observed {
  exists: boolean;
  clientIdMatches: boolean;
  secretMatches: boolean;
  labelled: boolean;
}

async function observe(ctx: Ctx, want: Extract<Wanted, { ok: true }>): Promise<Observed> {
  const kube = kubeOf(ctx);
  const namespace = feathrNamespace(ctx.config);
  const data = await kube.readSecret(namespace, SP_SECRET_NAME);
  if (!data) return { exists: false, clientIdMatches: false, secretMatches: false, labelled: false };
  const labels = (await kube.secretLabels(namespace, SP_SECRET_NAME)) ?? {};
  const labelled = Object.entries(CSI_USED_LABEL).every(([key, value]) => labels[key] === value);
  return {
    exists: true,
    clientIdMatches: data.clientid === want.clientId,
    secretMatches: data.clientsecret === want.clientSecret,
    labelled,
  };
}

function diff(ctx: Ctx, want: Extract<Wanted, { ok: true }>, seen: Observed): Change[] {
  const resource = inContext(kubeOf(ctx), `Secret ${feathrNamespace(ctx.config)}/${SP_SECRET_NAME}`);
  if (!seen.exists)
    return [
      {
        mark: '+',
        resource,
        reason: `service-principal credentials for the CSI driver (clientid ${want.clientId}, clientsecret from $${want.envName}), labelled secrets-store.csi.k8s.io/used=true`,
      },
    ];
  const changes: Change[] = [];
  if (!seen.clientIdMatches)
    changes.push({
      mark: '~',
      resource,
      field: 'clientid',
      to: want.clientId,
      reason: 'differs from identity.servicePrincipal.clientId',
    });
  if (!seen.secretMatches)
    changes.push({ mark: '~', resource, field: 'clientsecret', reason: `differs from $${want.envName}` });
  if (!seen.labelled)
    changes.push({
      mark: '~',
      resource,
      field: 'labels',
      to: 'secrets-store.csi.k8s.io/used=true',
      reason: 'the driver ignores unlabelled credential Secrets',
    });
  return changes.length > 0 ? changes : [{ mark: '=', resource, reason: `matches clientId and $${want.envName}` }];
}

export const spCredentialsSecretStep = defineStep<'config' | 'kube' | 'secrets'>({
  id: SP_CREDENTIALS_STEP,
  title: 'Service-principal credentials Secret',
  dependsOn: [KUBE_CONTEXT_STEP, FEATHR_NAMESPACE_STEP],
  appliesTo: (config) => identityMode(config) === 'service-principal',
  async plan(ctx) {
    const want = spCredentials(ctx);
    if (!want.ok) return blocked({ secret: SP_SECRET_NAME }, want.problem, want.hint);
    const seen = await observe(ctx, want);
    return fromChanges(seen, diff(ctx, want, seen));
  },
  async apply(ctx) {
    const want = spCredentials(ctx);
    if (!want.ok) throw new UserError(want.problem, want.hint);
    const data = { clientid: want.clientId, clientsecret: want.clientSecret };
    await kubeOf(ctx).applySecret(feathrNamespace(ctx.config), SP_SECRET_NAME, data, {
      ...CSI_USED_LABEL,
      ...MANAGED_BY_LABEL,
    });
  },
  async verify(ctx) {
    const want = spCredentials(ctx);
    if (!want.ok) throw new UserError(want.problem, want.hint);
    const pending = diff(ctx, want, await observe(ctx, want)).filter((c) => c.mark !== '=');
    if (pending.length > 0)
      throw new UserError(
        `Secret ${feathrNamespace(ctx.config)}/${SP_SECRET_NAME} doesn't match after writing it.`,
        'Run the same command again; if it keeps failing, something else writes this Secret.',
        pending.map((c) => `${c.field ?? 'secret'}: ${c.reason}`),
      );
    return `Secret ${feathrNamespace(ctx.config)}/${SP_SECRET_NAME} holds the service principal's credentials`;
  },
});
