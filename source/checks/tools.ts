/** Tools: kubectl and helm on PATH, helm 3.8 or newer (helm 3.8+ and helm 4 are supported). */
import { parseHelmVersion } from '../kube/helm-version.js';
import { fail, pass, skip, type Check } from './types.js';

const KUBECTL_INSTALL =
  'Install kubectl: https://kubernetes.io/docs/tasks/tools/ (or az aks install-cli), and put it on PATH.';
const HELM_INSTALL =
  'Install Helm 3.8 or later: https://helm.sh/docs/intro/install/ (helm 4 works too), and put it on PATH.';

export const toolChecks: readonly Check[] = [
  {
    id: 'tools.kubectl',
    category: 'tools',
    phase: 'preflight',
    description: 'kubectl is installed',
    severity: 'fatal',
    hint: KUBECTL_INSTALL,
    async run(ctx) {
      if (!ctx.kube) return skip('no Kubernetes connection in this run');
      const tools = await ctx.kube.toolVersions();
      if (!tools.kubectl) return fail("kubectl isn't on PATH, so the cluster can't be reached.", { facts: { tools } });
      return pass(tools.kubectl, { tools });
    },
  },
  {
    id: 'tools.helm',
    category: 'tools',
    phase: 'preflight',
    description: 'helm 3.8 or newer is installed',
    severity: 'fatal',
    hint: HELM_INSTALL,
    async run(ctx, facts) {
      if (!ctx.kube) return skip('no Kubernetes connection in this run');
      const tools = facts.tools ?? (await ctx.kube.toolVersions());
      if (!tools.helm) return fail("helm isn't on PATH, so the chart can't be installed.");
      const version = parseHelmVersion(tools.helm);
      if (version.major < 3 || (version.major === 3 && version.minor < 8)) {
        return fail(`helm ${version.raw} is too old: the install needs helm 3.8 or newer.`);
      }
      return pass(version.raw);
    },
  },
];
