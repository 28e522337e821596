/**
 * kubectl and helm bound to one kube context: every kubectl call gets `--context`, every
 * helm call `--kube-context`, so a later `kubectl config use-context` elsewhere can't move
 * a run to another cluster halfway through.
 */
import { runTool, type RunToolOptions, type ToolBinary, type ToolRun } from './run-tool.js';

export interface BoundTools {
  readonly context: string;
  kubectl(args: readonly string[], options?: RunToolOptions): Promise<ToolRun>;
  helm(args: readonly string[], options?: RunToolOptions): Promise<ToolRun>;
  readonly kubectlBinary: ToolBinary;
  readonly helmBinary: ToolBinary;
  /** How many writing calls these tools have started: a read taken before the last one is stale. */
  readonly writes: number;
}

/** Verbs that change the cluster; everything else kubectl or helm is asked here only reads. */
const WRITE_VERBS = new Set([
  'apply',
  'create',
  'delete',
  'patch',
  'replace',
  'label',
  'annotate',
  'install',
  'upgrade',
  'uninstall',
  'rollback',
]);

/**
 * With `kubeconfig` (sandbox runs), every call names that file explicitly, so the user's own
 * kubeconfig (KUBECONFIG, ~/.kube/config) is neither read nor written.
 */
export function bindTools(
  kubectlBinary: ToolBinary,
  helmBinary: ToolBinary,
  context: string,
  kubeconfig?: string,
): BoundTools {
  const file = kubeconfig ? ['--kubeconfig', kubeconfig] : [];
  let writes = 0;
  const count = (args: readonly string[]) => {
    if (WRITE_VERBS.has(args[0] ?? '')) writes += 1;
  };
  return {
    context,
    kubectlBinary,
    helmBinary,
    get writes() {
      return writes;
    },
    kubectl: (args, options) => {
      count(args);
      return runTool(kubectlBinary, [...args, ...file, '--context', context], options);
    },
    helm: (args, options) => {
      count(args);
      return runTool(helmBinary, [...args, ...file, '--kube-context', context], options);
    },
  };
}

/** The context kubectl would use now; asked once, when the adapter is created. */
export async function currentContext(kubectlBinary: ToolBinary, kubeconfig?: string): Promise<string> {
  const run = await runTool(kubectlBinary, [
    'config',
    'current-context',
    ...(kubeconfig ? ['--kubeconfig', kubeconfig] : []),
  ]);
  return run.stdout.trim();
}
