/**
 * kubectl and helm bound to one kube context: every kubectl call gets `--context`, every
 * helm call `--kube-context`, so a later `kubectl config use-context` elsewhere can't move
 * a run to another cluster halfway through.
 */
import { runTool, type RunToolOptions, type ToolBinary, type ToolRun } from './run-tool.js';

interface BoundRunOptions extends RunToolOptions {
  /**
   * What a writing call can change, as reading keys (see readings.ts), when the caller knows:
   * `[]` for a write that changes nothing read (an access review, a probe pod), or e.g.
   * `['namespace/feathr']`; a key also stands for every key below it (`secret/feathr` for each
   * Secret in that namespace). Without it, a write may have changed anything.
   */
  touches?: readonly string[];
}

export interface BoundTools {
  readonly context: string;
  kubectl(args: readonly string[], options?: BoundRunOptions): Promise<ToolRun>;
  helm(args: readonly string[], options?: BoundRunOptions): Promise<ToolRun>;
  readonly kubectlBinary: ToolBinary;
  readonly helmBinary: ToolBinary;
  /**
   * A count that grows when a writing call that may have changed what the reading `key` holds
   * starts, and again when it ends: a reading taken at another count is stale.
   */
  writesTo(key: string): number;
  /** Every write's start and end so far, whatever it changed. */
  writesSoFar(): number;
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
  let anything = 0;
  const scoped: string[] = [];
  const count = (args: readonly string[], touches: readonly string[] | undefined) => {
    if (!WRITE_VERBS.has(args[0] ?? '')) return;
    if (touches) scoped.push(...touches);
    else anything += 1;
  };
  const run = async (binary: ToolBinary, args: readonly string[], tail: string[], options: BoundRunOptions = {}) => {
    const { touches, ...rest } = options;
    // Counted when it starts and again when it ends: a reading taken while it ran may hold the
    // state before it or after it, so it is stale either way.
    count(args, touches);
    try {
      return await runTool(binary, [...args, ...tail], rest);
    } finally {
      count(args, touches);
    }
  };
  return {
    context,
    kubectlBinary,
    helmBinary,
    writesTo: (key) => anything + scoped.filter((touched) => key === touched || key.startsWith(`${touched}/`)).length,
    writesSoFar: () => anything + scoped.length,
    kubectl: (args, options) => run(kubectlBinary, args, [...file, '--context', context], options),
    helm: (args, options) => run(helmBinary, args, [...file, '--kube-context', context], options),
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
