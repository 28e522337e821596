/**
 * The input the Feathr release will get, judged before the first write: the secret sources are
 * read (names and values stay in memory) and mapped by the same rules as the migration, the
 * chart values are built as the release step builds them, and the real helm renders the chart
 * with them (`helm template`, offline), so the chart's values.schema.json and templates refuse
 * what they would refuse at the end of the run. Each failure names the setting and the fix.
 */
import { ExternalCommandError, UserError } from '../kernel/errors.js';
import { planCsi } from '../steps/csi-driver-plan.js';
import { chartLabel } from '../steps/feathr-release-values.js';
import { csiInstall } from '../steps/kube-shared.js';
import { spCredentials } from '../steps/sp-credentials-secret.js';
import { identityMode } from '../config/setup-config.js';
import { releaseRequestForTemplate } from '../steps/feathr-release-request.js';
import { fail, pass, skip, type Check } from './types.js';

const HINT =
  'Fix the setting named above in the preset (or the name in its source) and run again; nothing has been changed.';

/** `replicaCount: Invalid type...` (helm 3) or `at '/replicaCount': ...` (helm 4) → the preset field. */
function presetFieldOf(problem: string): string | undefined {
  const path = /^at '\/([^']*)'/.exec(problem)?.[1]?.replaceAll('/', '.') ?? /^([\w.-]+):/.exec(problem)?.[1];
  if (!path) return undefined;
  if (path === 'keyVault' || path.startsWith('keyVault.secrets')) return 'secrets (the names the sources hold)';
  if (path.startsWith('keyVault.')) return 'vault, azure.tenantId or identity';
  return `feathr.values.${path}`;
}

export const releaseInputChecks: readonly Check[] = [
  {
    id: 'inputs.sp-secret',
    category: 'inputs',
    phase: 'preflight',
    setupOnly: true,
    description: "the service principal's client secret is there to store",
    severity: 'fatal',
    hint: 'Export the variable identity.servicePrincipal.clientSecretEnv names, then run again.',
    async run(ctx) {
      if (identityMode(ctx.config) !== 'service-principal') return skip('the pods use no service principal');
      // The secret goes to the cluster; a run without one stores nothing.
      if (!ctx.kube) return skip('no Kubernetes connection in this run');
      // The credentials step's own reading of it (names only here; the value isn't kept).
      const wanted = spCredentials({ config: ctx.config, ...(ctx.secrets ? { secrets: ctx.secrets } : {}) });
      return wanted.ok
        ? pass(`${wanted.envName} is set`)
        : fail(wanted.problem, { hint: `${wanted.hint} Nothing has been changed.` });
    },
  },
  {
    id: 'cluster.csi-choice',
    category: 'cluster',
    phase: 'preflight',
    setupOnly: true,
    description: 'the CSI driver choice fits what the cluster has',
    severity: 'fatal',
    hint: 'Set csi.install to what the cluster needs and run again; nothing has been changed.',
    async run(ctx) {
      if (!ctx.kube) return skip('no Kubernetes connection in this run');
      // The CSI step's own decision, asked before the first write instead of after the vault exists.
      const mode = csiInstall(ctx.config);
      const plan = await planCsi(ctx.config, ctx.kube, mode);
      if (plan.action === 'blocked')
        return fail(
          `${plan.blockedReason ?? 'the driver step would stop'} (csi.install: ${mode})`,
          plan.hint ? { hint: `${plan.hint}; nothing has been changed.` } : {},
        );
      return pass(`csi.install: ${mode}`);
    },
  },
  {
    id: 'inputs.feathr-chart',
    category: 'inputs',
    phase: 'preflight',
    setupOnly: true,
    description: 'the Feathr chart accepts the values the release gets (helm template)',
    severity: 'fatal',
    hint: HINT,
    async run(ctx) {
      if (!ctx.kube) return skip('no Kubernetes connection in this run');
      if (!ctx.azure) return skip('no Azure connection in this run');
      let request;
      try {
        request = await releaseRequestForTemplate({
          config: ctx.config,
          azure: ctx.azure,
          signal: ctx.signal,
          kube: ctx.kube,
          ...(ctx.secrets ? { secrets: ctx.secrets } : {}),
        });
      } catch (error) {
        // The sources or the mapping are refused (a name no shell accepts, an empty mapping...).
        if (!(error instanceof UserError)) throw error;
        return fail([error.message, ...error.details].join(' '), {
          hint: error.hint ? `${error.hint} Nothing has been changed.` : HINT,
        });
      }
      let verdict;
      try {
        verdict = await ctx.kube.helmTemplate(request);
      } catch (error) {
        if (error instanceof ExternalCommandError && /isn't installed or isn't on PATH/.test(error.message)) {
          return skip("helm isn't on PATH here, so the chart can't render the values before the run");
        }
        throw error;
      }
      const secrets = Array.isArray((request.values.keyVault as { secrets?: unknown[] } | undefined)?.secrets)
        ? (request.values.keyVault as { secrets: unknown[] }).secrets.length
        : 0;
      if (verdict.ok)
        return pass(`${chartLabel(request.chart)} renders with ${secrets} secret${secrets === 1 ? '' : 's'}`);
      const fields = [...new Set(verdict.problems.map(presetFieldOf).filter((f): f is string => f !== undefined))];
      return fail(`The Feathr chart refuses the values the release would get: ${verdict.problems.join('; ')}`, {
        hint:
          fields.length > 0
            ? `Fix ${fields.join(' and ')} in the preset and run again; nothing has been changed.`
            : HINT,
      });
    },
  },
];
