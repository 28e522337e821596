/**
 * The real kubectl and helm for tests, against a sandbox's clusters: the binaries
 * `scripts/setup-test-tools.ts` unpacked (helm 3.17 + kubectl 1.32 in .tools/helm3, helm 4.1 +
 * kubectl 1.34 in .tools/helm4; FEATHR_TEST_TOOLS=helm4 switches the default set), the sandbox's
 * kubeconfig passed explicitly, Helm's cache in the sandbox's temp folder.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { KubectlHelmAdapter } from '../../source/kube/kubectl-helm-adapter.js';
import type { RunningSandbox } from '../../source/sandbox/start.js';

export type ToolSet = 'helm3' | 'helm4';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DEFAULT_TOOLS: ToolSet = process.env.FEATHR_TEST_TOOLS === 'helm4' ? 'helm4' : 'helm3';

export function toolPaths(set: ToolSet = DEFAULT_TOOLS): { kubectl: string; helm: string; dir: string } {
  const dir = path.join(ROOT, '.tools', set);
  if (!existsSync(path.join(dir, 'kubectl')))
    throw new Error(`No ${set} tools in ${dir}: run npx tsx scripts/setup-test-tools.ts`);
  return { kubectl: path.join(dir, 'kubectl'), helm: path.join(dir, 'helm'), dir };
}

export function helmEnv(sandbox: RunningSandbox): Record<string, string> {
  const dir = path.dirname(sandbox.kubeconfig);
  return {
    KUBECACHEDIR: path.join(dir, 'kube-cache'),
    HELM_CACHE_HOME: path.join(dir, 'helm-cache'),
    HELM_CONFIG_HOME: path.join(dir, 'helm-config'),
    HELM_DATA_HOME: path.join(dir, 'helm-data'),
  };
}

/** The tool's own adapter, bound to one of the sandbox's contexts. */
export function sandboxPort(
  sandbox: RunningSandbox,
  context: string,
  set: ToolSet = DEFAULT_TOOLS,
): KubectlHelmAdapter {
  const tools = toolPaths(set);
  return KubectlHelmAdapter.forContext({
    context,
    kubeconfig: sandbox.kubeconfig,
    kubectlPath: tools.kubectl,
    helmPath: tools.helm,
    env: helmEnv(sandbox),
    trustedRepo: { url: sandbox.chartRepo, caFile: sandbox.caFile },
    probe: { timeoutMs: 20_000, pollIntervalMs: 20 },
  });
}

/** Runs the real kubectl against a sandbox context; returns stdout. */
export async function kubectl(
  sandbox: RunningSandbox,
  context: string,
  args: string[],
  set: ToolSet = DEFAULT_TOOLS,
): Promise<string> {
  // Its discovery cache goes in the sandbox's folder (removed with it), not ~/.kube/cache.
  const run = await execa(toolPaths(set).kubectl, [...args, '--kubeconfig', sandbox.kubeconfig, '--context', context], {
    env: helmEnv(sandbox),
  });
  return run.stdout;
}

export async function helm(
  sandbox: RunningSandbox,
  context: string,
  args: string[],
  set: ToolSet = DEFAULT_TOOLS,
): Promise<string> {
  const run = await execa(
    toolPaths(set).helm,
    [...args, '--kubeconfig', sandbox.kubeconfig, '--kube-context', context],
    { env: helmEnv(sandbox) },
  );
  return run.stdout;
}
