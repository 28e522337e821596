/**
 * A DAG scheduler with bounded concurrency: every node starts as soon as all of its
 * dependencies have finished and a slot is free (table order breaks ties). After a failure or
 * an abort nothing new starts; nodes already running are awaited, so a re-run finds a state
 * it can complete.
 */
import { CancelledError } from './errors.js';

export interface DagNode {
  id: string;
  dependsOn: readonly string[];
}

export interface DagOptions {
  concurrency: number;
  signal?: AbortSignal;
}

/** Refuses unknown dependencies and cycles before anything runs. */
function validateDag(nodes: readonly DagNode[]): void {
  const ids = new Set(nodes.map((n) => n.id));
  if (ids.size !== nodes.length) throw new Error('Step ids must be unique.');
  for (const n of nodes) {
    for (const d of n.dependsOn) if (!ids.has(d)) throw new Error(`Step ${n.id} depends on unknown step ${d}.`);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`Steps form a cycle: ${[...path, id].join(' -> ')}.`);
    state.set(id, 'visiting');
    for (const d of byId.get(id)!.dependsOn) visit(d, [...path, id]);
    state.set(id, 'done');
  };
  for (const n of nodes) visit(n.id, []);
}

export function runDag<N extends DagNode>(
  nodes: readonly N[],
  run: (node: N) => Promise<void>,
  options: DagOptions,
): Promise<void> {
  try {
    validateDag(nodes);
  } catch (error) {
    return Promise.reject(error);
  }
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const pending = new Map(nodes.map((n) => [n.id, n]));
  const done = new Set<string>();
  let running = 0;
  let failure: { error: unknown } | undefined;
  const { signal } = options;

  return new Promise<void>((resolve, reject) => {
    const finish = (): void => {
      signal?.removeEventListener('abort', pump);
      if (signal?.aborted) reject(failure?.error instanceof CancelledError ? failure.error : new CancelledError());
      else if (failure) reject(failure.error);
      else resolve();
    };
    function pump(): void {
      if (!failure && !signal?.aborted) {
        for (const node of pending.values()) {
          if (running >= concurrency) break;
          if (!node.dependsOn.every((d) => done.has(d))) continue;
          pending.delete(node.id);
          running += 1;
          Promise.resolve()
            .then(() => run(node))
            .then(
              () => void done.add(node.id),
              (error: unknown) => void (failure ??= { error }),
            )
            .finally(() => {
              running -= 1;
              pump();
            });
        }
      }
      if (running === 0 && (pending.size === 0 || failure || signal?.aborted)) finish();
    }
    signal?.addEventListener('abort', pump, { once: true });
    pump();
  });
}
