/**
 * The fault matrix's harness: one in-process sandbox, the real CLI against it (--sandbox-url),
 * a reset between cases, and the end state a run leaves, normalised so two runs that built the
 * same thing compare equal (ARM resources without etags/timestamps, the cluster view without
 * events, and each vault's current secret values).
 */
import https from 'node:https';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { createFaultPlan } from '../../source/sandbox/faults.js';
import { describeClusters } from '../../source/sandbox/cluster/describe.js';
import type { SandboxState } from '../../source/sandbox/world/state.js';
import { startSandboxCli, type SandboxCli } from '../hostile/sandbox-cli.js';

export const SP = {
  clientId: '00000000-0000-0000-0000-00000000b002',
  objectId: '00000000-0000-0000-0000-00000000b001',
};
export const SECRETS: Record<string, string> = {
  FEATHRCI_HOST: 'fault-host',
  FEATHRCI_PASS: 'fault-pass',
  FEATHRCI_TABLE: 'fault-table',
  IPGEOLOCATION_APIKEY: 'fault-geo',
  CONN_STR: 'fault-conn',
  COSMOS_ACCOUNT: 'fault-cosmos',
  COSMOS_API_KEY: 'fault-cosmos-key',
  COSMOS_DATABASE: 'fault-db',
};
export const SP_SECRET = 'fault-sp-client-secret';

export interface FaultWorld extends SandboxCli {
  /** other-cloud (presets/other-cloud-allowlist.yaml), vault feathr-kv-eks. */
  preset: string;
  /** azure (presets/aks-private-endpoint.yaml), vault feathr-kv-demo: the private-endpoint LROs. */
  azurePreset: string;
  reset(): Promise<void>;
  setFaults(spec?: string): void;
  endState(): unknown;
}

const VOLATILE = /^(etag|.*(time|date|At)|createdOn|updatedOn|version|resourceGuid|revision)$/i;

function normalise(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map(normalise).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !VOLATILE.test(key))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, normalise(v)]),
    );
  }
  return value;
}

// Random v4 GUIDs are minted per world build (the AKS identities, its public IP) and random hex
// per private endpoint PUT (its NIC's ip configuration name); the sandbox's fixed principals and
// subscription (0000…-prefixed) stay, so a wrong principal still shows.
const RANDOM_GUID = /\b(?!00000000-)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

export function endStateOf(state: SandboxState): unknown {
  const vaults = Object.fromEntries(
    [...state.vaultSecrets].map(([vault, secrets]) => [
      vault,
      Object.fromEntries([...secrets].map(([name, record]) => [name, record.versions.at(-1)?.value])),
    ]),
  );
  // A failed attempt stays in a release's history, as in Helm; the current revision is what counts.
  // Pods carry generated names (a pod-template hash, random suffixes) and land on either node:
  // what counts is how many run in each phase. The monitor CronJob's pods come from the wall
  // clock (a Job every five minutes), not from the run, so they don't count.
  const clusters = describeClusters(state).clusters.map(({ events: _events, ...rest }) => ({
    ...rest,
    namespaces: (rest.namespaces as { pods?: { name: string; phase: string }[] }[]).map((ns) => ({
      ...ns,
      pods: (ns.pods ?? [])
        .filter((pod) => !/-kv-monitor-\d+-/.test(pod.name))
        .map((pod) => pod.phase)
        .sort(),
    })),
    helmReleases: (rest.helmReleases as Record<string, unknown>[]).map(({ history: _history, ...release }) => release),
  }));
  const text = JSON.stringify({ arm: [...state.resources.values()], vaults, clusters })
    .replace(RANDOM_GUID, '<guid>')
    .replace(/-dns-[0-9a-f]{8}\./g, '-dns-<hex>.')
    .replace(/privateEndpointIpConfig\.[0-9a-f]+/g, 'privateEndpointIpConfig.<hex>');
  return normalise(JSON.parse(text));
}

/** Paths where two end states differ, each with both values: a readable failure in any reporter. */
export function differences(actual: unknown, expected: unknown, path = '$'): string[] {
  if (JSON.stringify(actual) === JSON.stringify(expected)) return [];
  const bothObjects = actual && expected && typeof actual === 'object' && typeof expected === 'object';
  if (!bothObjects || Array.isArray(actual) !== Array.isArray(expected))
    return [`${path}: ${JSON.stringify(actual)?.slice(0, 300)} (clean: ${JSON.stringify(expected)?.slice(0, 300)})`];
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(e)])].flatMap((key) =>
    differences(a[key], e[key], `${path}.${key}`),
  );
}

/** Resources that could exist twice without the map keys noticing: role assignments, releases. */
export function duplicates(state: SandboxState): string[] {
  const seen = new Map<string, number>();
  for (const resource of state.resources.values()) {
    if (!/roleassignments$/i.test(resource.type)) continue;
    const p = resource.properties as { scope?: string; roleDefinitionId?: string; principalId?: string };
    const key = `${p.scope}|${p.roleDefinitionId}|${p.principalId}`.toLowerCase();
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([key, n]) => `role assignment ${key} x${n}`);
}

function post(url: string, ca: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method: 'POST', ca }, (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 200 ? resolve() : reject(new Error(`POST ${url}: ${response.statusCode}`)),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

export async function startFaultWorld(): Promise<FaultWorld> {
  // Injected ARM and cluster 429s say Retry-After: 0: each case is about what the run does
  // after the 429, and a real second per case would only add up.
  const cli = await startSandboxCli({ retryAfterSeconds: 0 });
  const doc = parse(await readFile('presets/other-cloud-allowlist.yaml', 'utf8'));
  doc.secrets.sources = [{ envFile: './fault.env' }];
  doc.identity.servicePrincipal = { ...SP, clientSecretEnv: 'FEATHR_SP_SECRET' };
  const preset = join(cli.dir, 'fault-preset.yaml');
  await writeFile(preset, stringify(doc));
  const azureDoc = parse(await readFile('presets/aks-private-endpoint.yaml', 'utf8'));
  azureDoc.secrets.sources = [{ envFile: './fault.env' }];
  // Files the preset names relative to its own folder (Feathr's pipeline and lookup files) stay where they are.
  for (const key of ['pipelineConf', 'lookupJson']) {
    if (typeof azureDoc.feathr?.[key] === 'string') azureDoc.feathr[key] = resolve('presets', azureDoc.feathr[key]);
  }
  const azurePreset = join(cli.dir, 'fault-azure-preset.yaml');
  await writeFile(azurePreset, stringify(azureDoc));
  await writeFile(
    join(cli.dir, 'fault.env'),
    Object.entries(SECRETS)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
  process.env.FEATHR_SP_SECRET = SP_SECRET;
  // This worker's own record of written secrets, not the developer's ~/.local/state.
  process.env.FEATHR_KV_SETUP_STATE_DIR = join(cli.dir, 'state');
  const world: FaultWorld = {
    ...cli,
    preset,
    azurePreset,
    async reset() {
      await post(`${cli.sandbox.url}/_sandbox/reset`, cli.sandbox.caPem);
      const sp = [...cli.sandbox.state.principals.values()].find((p) => p.clientId === SP.clientId);
      if (sp) sp.clientSecret = SP_SECRET;
    },
    setFaults(spec) {
      cli.sandbox.state.faults = spec ? createFaultPlan({ faults: spec, seed: 7, retryAfterSeconds: 0 }) : undefined;
    },
    endState: () => endStateOf(cli.sandbox.state),
  };
  await world.reset();
  return world;
}
