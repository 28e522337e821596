/**
 * The worlds a run meets, each with what the plan says and what the cluster holds afterwards,
 * read back with the real kubectl and helm: the AKS add-on already on, a plain driver-chart
 * release with sync off (left alone, with the exact command), a provider-chart release with sync
 * on (reused, never installed twice), and a user who may only act in the Feathr namespace.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadPreset } from '../../../source/config/load-preset.js';
import { defaultClusterSpecs } from '../../../source/sandbox/cluster/default-clusters.js';
import { DEFAULT_WORLD } from '../../../source/sandbox/world/default-world.js';
import type { WorldSpec } from '../../../source/sandbox/world/spec.js';
import { helm, kubectl } from '../../helpers/kube-tools.js';
import { startKubeHarness, type KubeHarness } from '../../steps/kube-harness.js';

let h: KubeHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function world(change: (w: WorldSpec) => void): WorldSpec {
  const w = structuredClone({ ...DEFAULT_WORLD, clusters: defaultClusterSpecs() }) as WorldSpec;
  change(w);
  return w;
}

const eks = (w: WorldSpec) => w.clusters!.find((c) => c.context === 'feathr-eks')!;
const planLines = (
  plan: { steps: { stepId: string; changes: { mark: string; resource: string; reason?: string }[] }[] },
  step: string,
) => plan.steps.find((s) => s.stepId === step)!;

describe('worlds, read back with the real kubectl and helm', () => {
  it('the AKS add-on already on: reused as it is; its DaemonSets run the mount', async () => {
    h = await startKubeHarness({ world: world((w) => void (w.aksClusters![0]!.keyVaultAddon = true)) });
    const config = await loadPreset('presets/aks-private-endpoint.yaml');
    const { outcome: planned } = await h.run(config, 'plan');
    expect(planLines(planned.plan, 'csi-driver').changes).toEqual([
      expect.objectContaining({ mark: '=', reason: 'from the AKS add-on, secret sync on' }),
    ]);
    expect((await h.run(config, 'apply')).outcome.exitCode).toBe(0);
    expect(await kubectl(h.sandbox, 'feathr-aks', ['get', 'daemonsets', '-n', 'kube-system', '-o', 'name'])).toBe(
      ['aks-secrets-store-csi-driver', 'aks-secrets-store-csi-driver-windows', 'aks-secrets-store-provider-azure']
        .map((n) => `daemonset.apps/${n}`)
        .join('\n'),
    );
    expect(
      await kubectl(h.sandbox, 'feathr-aks', ['get', 'secret', 'feathr-online-secrets', '-n', 'feathr', '-o', 'name']),
    ).toBe('secret/feathr-online-secrets');
    expect(
      JSON.parse(await helm(h.sandbox, 'feathr-aks', ['list', '-A', '-o', 'json'])).map((r: any) => r.name),
    ).toEqual(['feathr-online']);
  });

  it('a plain driver-chart release with sync off: never swapped for the provider chart; the plan gives its own upgrade', async () => {
    h = await startKubeHarness({
      world: world(
        (w) =>
          void (eks(w).csiDriver = {
            helm: {
              chart: 'secrets-store-csi-driver',
              release: 'csi-driver',
              namespace: 'kube-system',
              version: '1.5.6',
              syncSecret: false,
              rotation: false,
            },
          }),
      ),
    });
    const config = await loadPreset('presets/other-cloud-allowlist.yaml');
    // A blocked step stops the run before any change, with the reason and the fix.
    const blocked = await h.run(config, 'plan').then(
      () => undefined,
      (error: { message: string; hint?: string }) => error,
    );
    // The preflight already asks the step's plan, so the run stops there, before any change.
    expect(blocked?.message).toBe(
      "1 preflight check fails, so nothing was changed: Helm release kube-system/csi-driver (chart secrets-store-csi-driver-1.5.6) has secret sync off, so Feathr's env vars would never appear. (csi.install: helm)",
    );
    expect(blocked?.hint).toContain(
      'helm upgrade csi-driver secrets-store-csi-driver --repo https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts --version 1.5.6 -n kube-system --kube-context feathr-eks --reuse-values --set syncSecret.enabled=true',
    );
    expect(h.clusterWrites()).toEqual([]);
    expect(JSON.parse(await helm(h.sandbox, 'feathr-eks', ['list', '-A', '-o', 'json']))).toMatchObject([
      { name: 'csi-driver', revision: '1', chart: 'secrets-store-csi-driver-1.5.6' },
    ]);
  });

  it('a provider-chart release with sync on: reused, never installed twice', async () => {
    h = await startKubeHarness({
      world: world(
        (w) =>
          void (eks(w).csiDriver = {
            helm: {
              chart: 'csi-secrets-store-provider-azure',
              release: 'csi',
              namespace: 'kube-system',
              version: '1.8.2',
              syncSecret: true,
              rotation: true,
            },
          }),
      ),
    });
    const config = await loadPreset('presets/other-cloud-allowlist.yaml');
    const { outcome } = await h.run(config, 'plan');
    expect(planLines(outcome.plan, 'csi-driver').changes).toEqual([
      expect.objectContaining({ mark: '=', reason: 'driver installed with secret sync on; reused' }),
    ]);
    expect((await h.run(config, 'apply')).outcome.exitCode).toBe(0);
    const releases = JSON.parse(await helm(h.sandbox, 'feathr-eks', ['list', '-A', '-o', 'json']));
    expect(releases.map((r: any) => `${r.namespace}/${r.name} r${r.revision} ${r.status}`).sort()).toEqual([
      'feathr/feathr-online r1 deployed',
      'kube-system/csi r1 deployed',
    ]);
  });

  it('a user who may act only in the Feathr namespace: can-i answers from those rights, and the plan says what is missing', async () => {
    h = await startKubeHarness({
      world: world((w) => void (eks(w).operatorAccess = { namespaces: ['feathr', 'legacy'] })),
    });
    expect(await kubectl(h.sandbox, 'feathr-eks', ['auth', 'can-i', 'create', 'secrets', '-n', 'feathr'])).toBe('yes');
    const elsewhere = await kubectl(h.sandbox, 'feathr-eks', [
      'auth',
      'can-i',
      'create',
      'secrets',
      '-n',
      'kube-system',
    ]).catch((error: { stdout: string }) => error.stdout);
    expect(elsewhere).toBe('no');
    const config = await loadPreset('presets/other-cloud-allowlist.yaml');
    // The preflight stops before any change: the namespace isn't there and this user can't create it.
    const stopped = await h.run(config, 'plan').then(
      () => undefined,
      (error: Error) => error,
    );
    expect(stopped?.message).toMatch(
      /^\d preflight checks? fails?, so nothing was changed: You can't create namespaces in namespace feathr\./,
    );
    expect(h.clusterWrites()).toEqual([]);
    expect(
      await kubectl(h.sandbox, 'feathr-eks', ['get', 'namespace', 'feathr', '--ignore-not-found', '-o', 'name']).catch(
        () => '',
      ),
    ).toBe('');
  });
});
