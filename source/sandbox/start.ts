/**
 * Starts a sandbox in this process (tests, `--sandbox`): TLS material, the world (default,
 * a world file, or a spec), faults and latency (flags win over the world file), the HTTPS
 * server. `close()` stops it and drops every connection.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SandboxInputError } from './input-error.js';
import { writeKubeconfig } from './kubeconfig.js';
import { tokenFor } from './auth.js';
import { createFaultPlan, FaultSpecError } from './faults.js';
import { startSandboxServer } from './server.js';
import { generateSandboxTls } from './tls.js';
import { buildWorld, emptyState, replaceWorld } from './world/build.js';
import { DEFAULT_WORLD } from './world/default-world.js';
import type { WorldSpec } from './world/spec.js';
import type { SandboxState } from './world/state.js';
import { loadWorldFile } from './world/world-file.js';

export interface StartSandboxOptions {
  port?: number;
  /** A world spec value; wins over worldFile. */
  world?: WorldSpec;
  worldFile?: string;
  faults?: string;
  latency?: string;
  seed?: number;
  /** Overrides the world's delay before new role assignments reach the data plane. */
  rbacPropagationSeconds?: number;
  /** Retry-After on injected ARM and cluster 429s (default 1 s); tests pass 0 to skip the wait. */
  retryAfterSeconds?: number;
  /**
   * Overrides the world's ARM throttling. Tests that replay whole runs many times a second turn
   * it off: a person's runs never come that fast, so the 429s they'd get would be the test's.
   */
  armThrottling?: boolean;
  /** A clock for tests (retention dates, propagation); defaults to Date.now. */
  now?: () => number;
}

export interface RunningSandbox {
  url: string;
  caPem: string;
  state: SandboxState;
  subscriptionId: string;
  tenantId: string;
  /**
   * A kubeconfig (0600, in a temp folder removed by close()) with one context per simulated
   * cluster, for the real kubectl and helm.
   */
  kubeconfig: string;
  /** The CA in a file next to the kubeconfig (helm's --ca-file for the chart repository). */
  caFile: string;
  /** The Helm chart repository the sandbox serves. */
  chartRepo: string;
  /** The bearer token of a principal named by display name, objectId or clientId. */
  tokenFor(principalName: string): string;
  close(): Promise<void>;
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const spec = options.world ?? (options.worldFile ? await loadWorldFile(options.worldFile) : DEFAULT_WORLD);
  const faultOptions = {
    faults: options.faults ?? spec.faults,
    latency: options.latency ?? spec.latency,
    seed: options.seed ?? spec.seed,
    retryAfterSeconds: options.retryAfterSeconds,
  };
  try {
    createFaultPlan(faultOptions); // validate before anything starts
  } catch (error) {
    if (error instanceof FaultSpecError)
      throw new SandboxInputError(error.message, 'See source/sandbox/README.md § Faults for the grammar.');
    throw error;
  }
  const now = options.now ?? Date.now;
  const tls = await generateSandboxTls(new Date(now()));
  const state = emptyState(spec.tenantId, spec.subscriptionId);
  let baseUrl = '';
  const fresh = () => {
    const world = buildWorld(spec, { baseUrl, now: now() });
    world.faults = createFaultPlan(faultOptions);
    if (options.rbacPropagationSeconds !== undefined) world.rbacPropagationSeconds = options.rbacPropagationSeconds;
    if (options.armThrottling !== undefined) world.armThrottling = options.armThrottling;
    return world;
  };
  const server = await startSandboxServer({
    state,
    tls,
    port: options.port,
    now,
    reset: () => replaceWorld(state, fresh()),
  });
  baseUrl = server.url;
  try {
    replaceWorld(state, fresh());
  } catch (error) {
    await server.close();
    throw error;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'feathr-kv-sandbox-kube-'));
  const kubeconfig = await writeKubeconfig(dir, state, server.url, tls.caPem);
  const caFile = path.join(dir, 'ca.pem');
  await writeFile(caFile, tls.caPem, { mode: 0o600 });
  return {
    url: server.url,
    caPem: tls.caPem,
    kubeconfig,
    caFile,
    chartRepo: `${server.url}/_sandbox/charts`,
    state,
    subscriptionId: state.subscriptionId,
    tenantId: state.tenantId,
    tokenFor: (principalName) => tokenFor(state, principalName),
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
