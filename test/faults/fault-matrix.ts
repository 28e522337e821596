/**
 * The fault matrix: for each kind of operation a run makes, inject a fault into the first
 * matching request (429 with and without Retry-After, 500, a connection reset, an LRO ending
 * Failed), and for 500 and reset also into every matching request. Then:
 *  - the faulted run either succeeds (the retry absorbed it) or fails with a message naming
 *    the failing operation (the failed step, or the resource the request was for);
 *  - the end state is a run's that never saw a fault (same ARM resources, same cluster, same
 *    secret values; nothing exists twice): at once when the retry absorbed the fault, after a
 *    second, clean run when the faulted run failed. A faulted run that failed before it wrote
 *    anything must leave the world as reset; its second run would be the clean run itself.
 * One sandbox per file, reset between cases; the SDK retry and LRO intervals are the sandbox's
 * tiny ones. The azure topology (private endpoint) adds one case per kind of LRO it starts, each
 * ending Failed: the resource stays behind in provisioningState Failed, and the re-run must
 * repair it, not call it done.
 * The cases are split over three test files (fault-matrix-*.test.ts) only so they run side by
 * side; each file declares its share of the tables below.
 * A transient fault that the retry absorbs leaves a run that a clean run can't tell apart, so a
 * file first tries each transient effect on the first request of all its kinds in one run: when
 * that run succeeds, every rule fired and the end state is a clean run's, each of those cases
 * holds as it would alone (its fault fired and was absorbed, with the others' too). When it
 * doesn't, each case runs alone, as the persistent ones always do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differences, duplicates, SECRETS, startFaultWorld, type FaultWorld } from './fault-world.js';
import { resultEvent } from '../hostile/sandbox-cli.js';

/** Step kinds and a request filter for each (sandbox/faults.ts grammar). */
export const KINDS = {
  'ARM write, LRO (vault PUT)': 'arm-write/vaults/feathr-kv-eks?',
  'ARM write, no LRO (role assignment PUT)': 'arm-write/roleassignments/',
  'ARM read': 'arm-read',
  'data-plane write (secret set)': 'dataplane-write/secrets/',
  // Helm's first request for the Feathr release's Deployment (the install's own object).
  'cluster (helm install)': 'cluster/apis/apps/v1/namespaces/feathr/deployments',
} as const;
export type KindName = keyof typeof KINDS;
/** The preset's resources; a failure message should say which one it was working on. */
// The subscription too: preflight reads it first ("Can't read subscription 0000…feed").
const RESOURCE_NAMES = [
  '00000000-0000-0000-0000-00000000feed',
  'feathr-rg',
  'feathr-kv-eks',
  'feathr-online',
  'secrets-store-creds',
  'csi-secrets-store-provider-azure',
];
/** The azure preset's PUTs that are LROs with a provisioningState, and the operation a failure names. */
const AZURE_LROS = {
  'endpoint subnet': ['lro/subnets/kv-endpoints', "Can't create subnet shared-vnet/kv-endpoints"],
  'private endpoint': ['lro/privateendpoints/feathr-kv-demo-pe', "Can't create private endpoint feathr-kv-demo-pe"],
  'private DNS zone': [
    'lro/privatednszones/privatelink.vaultcore.azure.net',
    "Can't create private DNS zone privatelink.vaultcore.azure.net",
  ],
  'DNS zone group': ['lro/privatednszonegroups/default', "Can't create DNS zone group feathr-kv-demo-pe/default"],
  'VNet link (AKS VNet)': [
    'lro/virtualnetworklinks/aks-vnet-link',
    "Can't link private DNS zone privatelink.vaultcore.azure.net to aks-vnet",
  ],
  'VNet link (endpoint VNet)': [
    'lro/virtualnetworklinks/shared-vnet-link',
    "Can't link private DNS zone privatelink.vaultcore.azure.net to shared-vnet",
  ],
  'peering, AKS side': [
    'lro/virtualnetworkpeerings/aks-vnet-to-shared-vnet',
    "Can't create peering aks-vnet/aks-vnet-to-shared-vnet",
  ],
  'peering, endpoint side': [
    'lro/virtualnetworkpeerings/shared-vnet-to-aks-vnet',
    "Can't create peering shared-vnet/shared-vnet-to-aks-vnet",
  ],
  'AKS add-on (managed cluster PUT)': [
    'lro/managedclusters/feathr-aks',
    "Can't enable the Key Vault add-on on AKS cluster feathr-aks",
  ],
} as const;
const TRANSIENT = ['429', '429-no-retry-after', '500', 'reset'] as const;
const PERSISTENT = ['500', 'reset'] as const;

type Run = Awaited<ReturnType<FaultWorld['run']>>;

/** The rule in the spec, with the filter's `?` (an end marker for readability) dropped. */
function rule(filter: string, effect: string, trigger: string): string {
  const [kind, ...rest] = filter.replace(/\?$/, '').split('/');
  return `${kind}${rest.length ? `/${rest.join('/')}` : ''}:${effect}@${trigger}`;
}

async function faultedThenClean(
  world: FaultWorld,
  spec: string,
  preset: string,
): Promise<{ faulted: Run; fired: number }> {
  await world.reset();
  world.setFaults(spec);
  const faulted = await world.run(['--preset', preset, '--yes', '--output', 'json']);
  const fired = world.sandbox.state.faults?.rules.reduce((n, r) => n + r.count, 0) ?? 0;
  world.setFaults(undefined);
  return { faulted, fired };
}

interface Target {
  preset: string;
  /** The end state of a run that never saw a fault, from the world as reset. */
  clean: unknown;
  /** The end state of the world as reset, before any run. */
  pristine: unknown;
  vault: string;
}

async function expectConverges(world: FaultWorld, label: string, target: Target, faulted: Run): Promise<void> {
  if (faulted.requests.every((request) => !request.write)) {
    // It failed before it wrote anything: the world is still as reset, and a clean run from the
    // world as reset is the run the clean end state came from.
    expect(
      differences(world.endState(), target.pristine).join('\n'),
      `${label}: a run that wrote nothing changed the world`,
    ).toBe('');
    return;
  }
  const again = await world.run(['--preset', target.preset, '--yes', '--output', 'json']);
  expect(again.code, `${label}: the clean re-run\n${again.all.slice(-2000)}`).toBe(0);
  expectCleanEndState(world, label, target);
}

/** Why the end state isn't a clean run's: something twice, an ARM or cluster difference, a secret lost or changed. */
function endStateProblems(world: FaultWorld, target: { clean: unknown; vault: string }): string[] {
  const vault = world.sandbox.state.vaultSecrets.get(target.vault);
  const lost = Object.entries(SECRETS)
    .filter(([env, value]) => vault?.get(env.replaceAll('_', '-').toLowerCase())?.versions.at(-1)?.value !== value)
    .map(([env]) => `secret ${env} lost or changed`);
  return [...duplicates(world.sandbox.state), ...differences(world.endState(), target.clean), ...lost];
}

/** Nothing exists twice, the ARM resources and the cluster are a clean run's, and no secret changed. */
function expectCleanEndState(world: FaultWorld, label: string, target: { clean: unknown; vault: string }): void {
  expect(endStateProblems(world, target).join('\n'), `${label}: end state differs from a clean run`).toBe('');
}

/** One run with `effect` on the first request of each kind: what each rule matched, and whether it all came out clean. */
interface Together {
  code: number;
  fired: number[];
  problems: string[];
}

async function allKindsAtOnce(
  world: FaultWorld,
  kinds: readonly KindName[],
  effect: string,
  target: Target,
): Promise<Together> {
  await world.reset();
  world.setFaults(kinds.map((kind) => rule(KINDS[kind], effect, '#1')).join(','));
  const run = await world.run(['--preset', target.preset, '--yes', '--output', 'json']);
  const fired = world.sandbox.state.faults?.rules.map((r) => r.count) ?? [];
  world.setFaults(undefined);
  return { code: run.code, fired, problems: run.code === 0 ? endStateProblems(world, target) : [] };
}

/** The failure names what failed: the failed step's title or the faulted resource's name. */
function expectNamesOperation(run: { stdout: string; all: string }, label: string): void {
  const result = resultEvent(run.stdout);
  const text = [result?.error?.message, ...(result?.error?.details ?? [])].join('\n');
  expect(text, label).not.toContain('Something unexpected went wrong');
  const failedTitles = run.stdout
    .split('\n')
    .filter((l) => l.includes('"step.failed"'))
    .map((l) => (JSON.parse(l) as { title: string }).title);
  // "Can't read resource group feathr-rg", "Can't assign … on feathr-kv-eks", "release feathr/feathr-online".
  const names = [...failedTitles, ...RESOURCE_NAMES];
  expect(
    names.length,
    `${label}: no step.failed event and no resource name to look for\n${run.all.slice(-1500)}`,
  ).toBeGreaterThan(0);
  expect(
    names.some((name) => text.includes(name)),
    `${label}: "${text}" names none of ${JSON.stringify(names)}`,
  ).toBe(true);
}

/**
 * The other-cloud cases for the given kinds, and (withVaultLroFailed) the vault creation whose
 * LRO ends Failed, against this file's own sandbox and a clean run of the other-cloud preset.
 */
export function otherCloudMatrix(kinds: readonly KindName[], options: { withVaultLroFailed?: boolean } = {}): void {
  let world: FaultWorld;
  let clean: unknown;
  let pristine: unknown;

  beforeAll(async () => {
    world = await startFaultWorld();
    pristine = world.endState();
    const first = await world.run(['--preset', world.preset, '--yes', '--output', 'json']);
    expect(first.code, first.all.slice(-2000)).toBe(0);
    clean = world.endState();
  }, 120_000);
  afterAll(async () => world?.close());

  const target = (): Target => ({ preset: world.preset, clean, pristine, vault: 'feathr-kv-eks' });

  const together = new Map<string, Promise<Together>>();
  const atOnce = (effect: string) => {
    if (!together.has(effect)) together.set(effect, allKindsAtOnce(world, kinds, effect, target()));
    return together.get(effect)!;
  };

  describe('fault matrix: a fault, then a clean run converges', () => {
    for (const kind of kinds) {
      const filter = KINDS[kind];
      for (const effect of TRANSIENT) {
        it(`${kind}: ${effect} once`, async () => {
          const label = `${kind} ${effect}#1`;
          const shared = await atOnce(effect);
          // Absorbed in the run that had every kind's fault (this one's among them, fired): the
          // case holds. Otherwise it is judged alone, below.
          if (shared.code === 0 && shared.problems.length === 0 && shared.fired.every((n) => n > 0)) return;
          const { faulted, fired } = await faultedThenClean(world, rule(filter, effect, '#1'), world.preset);
          expect(fired, `${label}: the fault never matched a request`).toBeGreaterThan(0);
          if (faulted.code === 0) {
            // The retry absorbed it: the run itself must have built what a clean run builds.
            expectCleanEndState(world, label, target());
            return;
          }
          expectNamesOperation(faulted, label);
          await expectConverges(world, label, target(), faulted);
        });
      }
      // A data-plane write's 5xx answers and dropped connections use up the same attempts
      // (secrets/writer.ts), so the persistent data-plane case runs once (500), not once per effect.
      for (const effect of filter.startsWith('dataplane') ? (['500'] as const) : PERSISTENT) {
        it(`${kind}: ${effect} on every call fails, naming the operation`, async () => {
          const label = `${kind} ${effect}@1`;
          const { faulted, fired } = await faultedThenClean(world, rule(filter, effect, '1'), world.preset);
          expect(fired, label).toBeGreaterThan(0);
          expect(faulted.code, `${label}\n${faulted.all.slice(-1500)}`).toBe(1);
          expectNamesOperation(faulted, label);
          await expectConverges(world, label, target(), faulted);
        });
      }
    }

    if (options.withVaultLroFailed) {
      it('an LRO that ends Failed (vault creation): the run fails naming it, a re-run converges', async () => {
        const { faulted, fired } = await faultedThenClean(world, 'lro/vaults/feathr-kv-eks:failed@#1', world.preset);
        expect(fired).toBeGreaterThan(0);
        expect(faulted.code, faulted.all.slice(-1500)).toBe(1);
        expectNamesOperation(faulted, 'lro failed');
        await expectConverges(world, 'lro failed', target(), faulted);
      });
    }
  });
}

/** The azure topology's LROs, each ending Failed once, against this file's own sandbox. */
export function azureLroMatrix(): void {
  let world: FaultWorld;
  let azureClean: unknown;
  let pristine: unknown;

  beforeAll(async () => {
    world = await startFaultWorld();
    pristine = world.endState();
    const first = await world.run(['--preset', world.azurePreset, '--yes', '--output', 'json']);
    expect(first.code, first.all.slice(-2000)).toBe(0);
    azureClean = world.endState();
  }, 120_000);
  afterAll(async () => world?.close());

  describe('fault matrix, azure topology: an LRO that ends Failed, then a clean run converges', () => {
    for (const [kind, [filter, operation]] of Object.entries(AZURE_LROS)) {
      it(`${kind}: its LRO ends Failed, the run fails naming it, a re-run repairs it`, async () => {
        const label = `${kind} lro failed`;
        const { faulted, fired } = await faultedThenClean(world, `${filter}:failed@#1`, world.azurePreset);
        expect(fired, `${label}: the fault never matched a request`).toBeGreaterThan(0);
        expect(faulted.code, `${label}\n${faulted.all.slice(-1500)}`).toBe(1);
        const error = resultEvent(faulted.stdout)?.error;
        expect([error?.message, ...(error?.details ?? [])].join('\n'), label).toContain(operation);
        // The Failed resource is still there: a re-run that took "exists" for "done" would leave it
        // Failed, and the end state (provisioningState included) would differ from a clean run.
        await expectConverges(
          world,
          label,
          { preset: world.azurePreset, clean: azureClean, pristine, vault: 'feathr-kv-demo' },
          faulted,
        );
      });
    }
  });
}
