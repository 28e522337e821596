/**
 * `check` shows the kv-monitor's history (from its results ConfigMap) above its live results:
 * the last failure, since when it fails, and how many runs failed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { renderMonitorHistory, summarizeRuns } from '../../source/checks/monitor-history.js';
import { checkBoth } from './expect-broken.js';
import { installedWorld, type InstalledWorld } from './installed-world.js';

const run = (time: string, failed = '', node = 'aks-nodes-0', address = '') =>
  JSON.stringify({ time, node, address, ok: !failed, failed, checks: { dns: failed === 'dns' ? 'fail' : 'pass' } });
const key = (epoch: number, node = 'aks-nodes-0') => `run-${epoch}-${node}`;

describe('summarizeRuns', () => {
  it.each([
    {
      name: 'failing now: the streak, its start, the last failure',
      data: {
        [key(1764928800)]: run('10:00'),
        [key(1764929100)]: run('10:05', 'firewall', 'n1', '52.14.20.1'),
        [key(1764929400)]: run('10:10'),
        [key(1764929700)]: run('10:15', 'dns'),
        [key(1764930000)]: run('10:20', 'dns', 'n2'),
      },
      text: 'Monitor history (ConfigMap feathr/m, last 5 runs):\n  failing since 10:15: the last 2 runs failed; 3 of 5 failed\n  last failure 10:20: check dns on node n2',
    },
    {
      name: 'passing again, after an earlier failure',
      data: { [key(1764928800)]: run('10:00', 'firewall', 'n1', '52.14.20.1'), [key(1764929100)]: run('10:05') },
      text: 'Monitor history (ConfigMap feathr/m, last 2 runs):\n  passing at 10:05; 1 of 2 runs failed\n  last failure 10:00: check firewall on node n1 (the vault saw 52.14.20.1)',
    },
    {
      name: 'no run yet, and keys that are not runs',
      data: { note: 'x', 'run-broken': '{' },
      text: 'Monitor history (ConfigMap feathr/m, last 0 runs):\n  no run recorded yet',
    },
    // Keys sort by time whatever order the API returns them in.
    {
      name: 'out-of-order keys',
      data: { [key(1764929100)]: run('10:05', 'dns'), [key(1764928800)]: run('10:00') },
      text: 'Monitor history (ConfigMap feathr/m, last 2 runs):\n  failing since 10:05: the last 1 run failed; 1 of 2 failed\n  last failure 10:05: check dns on node aks-nodes-0',
    },
  ])('$name', ({ data, text }) => {
    expect(renderMonitorHistory(summarizeRuns('m', data), 'feathr')).toBe(text);
  });
});

let world: InstalledWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('feathr-kv-setup check with a monitor', () => {
  it('prints the history above the live results, and carries it in the JSON result', async () => {
    world = await installedWorld();
    const data = {
      [key(1764928800)]: run('2026-12-05T10:00:00Z'),
      [key(1764929100)]: run('2026-12-05T10:05:00Z', 'dns', 'aks-nodes-0', ''),
    };
    await world.kube.applyManifest(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'feathr-online-kv-monitor', namespace: 'feathr' },
        data,
      }),
    );
    const { text, events } = await checkBoth(world);
    const history = text.stdout.indexOf('Monitor history (ConfigMap feathr/feathr-online-kv-monitor, last 2 runs):');
    expect(history, text.stdout).toBeGreaterThan(-1);
    expect(text.stdout).toContain(
      '  failing since 2026-12-05T10:05:00Z: the last 1 run failed; 1 of 2 failed\n  last failure 2026-12-05T10:05:00Z: check dns on node aks-nodes-0',
    );
    expect(history).toBeLessThan(text.stdout.indexOf('connectivity\n'));
    expect(events.at(-1)).toMatchObject({
      type: 'result',
      monitor: {
        runs: 2,
        failedRuns: 1,
        failingSince: '2026-12-05T10:05:00Z',
        lastFailure: { failed: 'dns', node: 'aks-nodes-0' },
      },
    });
  });

  it("prints nothing about a monitor the preset doesn't ask for, and says when the release lacks one it asks for", async () => {
    world = await installedWorld();
    const { text, events } = await checkBoth(world);
    expect(text.stdout).not.toContain('Monitor history');
    expect(events.at(-1)!).not.toHaveProperty('monitor');
    const wanting = world.writePreset(
      'monitor.yaml',
      world.presetText.replace(
        'feathr: { namespace: feathr, release: feathr-online }',
        'feathr: { namespace: feathr, release: feathr-online, monitor: { enabled: true } }',
      ),
    );
    const asked = await checkBoth(world, wanting);
    expect(asked.text.stdout).toContain(
      "Monitor history: none yet; ConfigMap feathr/feathr-online-kv-monitor isn't there (the release doesn't carry the monitor until the next install or upgrade).",
    );
  });
});
