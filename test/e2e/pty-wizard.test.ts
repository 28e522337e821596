/**
 * The built CLI in a real pseudo-terminal (tmux), against `sandbox serve` started from the same
 * build, as a user rehearsing with their own sandbox would. The wizard: raw mode, the first
 * frame, arrows and enter, Ctrl-C during apply. Esc: from each wizard screen it returns to the
 * screen before it, in both topologies; a terminal reporting 0 columns still lays the wizard out,
 * and a very narrow one is told so. One file, so the two run one after another: both mostly wait
 * on the terminal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { AZURE_DEFAULT_SCREENS, otherCloudFirstScreens } from '../ui/wizard-screens.js';
import { build, serve, teardown, tmux, waitFor, waitUntil, type Sandbox } from './pty-harness.js';

let dir: string;
let cli: string;

beforeAll(async () => {
  ({ dir, cli } = await build());
}, 120_000);

afterAll(teardown);

/** The feathr-online release on the simulated AKS cluster, read from the sandbox's cluster view. */
async function releaseStatus(sandbox: Sandbox): Promise<string | undefined> {
  const cluster = await execa('curl', [
    '-s',
    '--cacert',
    sandbox.caFile,
    '-H',
    `Authorization: Bearer ${sandbox.token}`,
    `${sandbox.url}/_sandbox/cluster`,
  ]);
  const aks = (
    JSON.parse(cluster.stdout) as { clusters: { context: string; helmReleases: { name: string; status: string }[] }[] }
  ).clusters.find((c) => c.context === 'feathr-aks');
  return aks?.helmReleases.find((r) => r.name === 'feathr-online')?.status;
}

const AZURE_DEFAULTS = [
  'Press enter to start',
  '❯ Azure (AKS)',
  'Azure subscription',
  'Resource group for the vault',
  'Azure region for the vault',
  '❯ Create a new vault',
  'Name of the new vault',
  'AKS cluster Feathr runs on',
  'Kube context of that cluster',
  "VNet for the vault's private endpoint",
  'Name of the new subnet',
  'Address range of subnet',
  'Secrets Store CSI driver',
  'Secret rotation',
  'Identity the Feathr pods use',
  'Watch the path to the vault',
  "Where are Feathr's secrets now?",
  'Continue to the plan',
];

async function startWizard(name: string, sandbox: { url: string; caFile: string }, preset: string): Promise<void> {
  const command = `cd ${dir} && NO_COLOR=1 node ${cli} --sandbox-url ${sandbox.url} --sandbox-ca ${sandbox.caFile} --save-preset ${preset}; echo EXIT=$?; sleep 600`;
  const started = await tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '40', command);
  expect(started.exitCode, started.stderr).toBe(0);
}

async function answerDefaults(name: string): Promise<string> {
  for (const marker of AZURE_DEFAULTS) {
    await waitFor(name, marker);
    await tmux('send-keys', '-t', name, 'Enter');
  }
  return waitFor(name, 'Apply this plan?');
}

describe('the wizard in a real terminal', () => {
  it('answers the azure flow with defaults, approves, and ends on the result screen', async () => {
    const sandbox = await serve();
    await startWizard('defaults', sandbox, 'defaults.yaml');
    const review = await answerDefaults('defaults');
    expect(review).toContain('Apply');
    await tmux('send-keys', '-t', 'defaults', 'Enter');
    const result = await waitFor('defaults', 'EXIT=', 90_000);
    expect(result).toContain('√ Setup complete');
    // Next steps that work as printed: the saved preset and this sandbox's flags, no kubectl.
    expect(result.replace(/\n\s*/g, ' ')).toContain(
      `$ feathr-kv-setup check --preset defaults.yaml --sandbox-url ${sandbox.url} --sandbox-ca ${sandbox.caFile}`,
    );
    expect(result).not.toContain('kubectl -n feathr');
    expect(result).toContain('EXIT=0');
    // NO_COLOR: no escape codes reach the screen.
    expect(result).not.toMatch(/\u001B\[/);
  }, 150_000);

  it('Ctrl-C during apply exits 130 after cleanups, and a headless re-run of the saved preset completes the setup', async () => {
    // Slow writes, so the apply is still running when Ctrl-C arrives.
    const sandbox = await serve(['--latency', 'arm-write=400,lro=400']);
    await startWizard('cancel', sandbox, 'cancel.yaml');
    await answerDefaults('cancel');
    await tmux('send-keys', '-t', 'cancel', 'Enter');
    // A step of the apply has started or finished (progress rows carry durations).
    await waitFor('cancel', /steps? waiting|\(\d+ ms\)/);
    await tmux('send-keys', '-t', 'cancel', 'C-c');
    const stopped = await waitFor('cancel', 'EXIT=', 60_000);
    expect(stopped).toContain('EXIT=130');
    expect(stopped).toContain(
      'Cancelling: running steps stop, cleanups run, then it exits. A re-run completes the setup.',
    );

    const preset = join(dir, 'cancel.yaml');
    expect(await readFile(preset, 'utf8')).toContain('target: azure');
    // The cancelled run stopped before Feathr was installed: the re-run has work left to do.
    expect(await releaseStatus(sandbox)).toBeUndefined();
    const rerun = await execa(
      'node',
      [cli, '--preset', preset, '--yes', '--sandbox-url', sandbox.url, '--sandbox-ca', sandbox.caFile],
      { reject: false, env: { NO_COLOR: '1' }, cwd: dir },
    );
    expect(rerun.exitCode, rerun.stderr + rerun.stdout).toBe(0);
    expect(await releaseStatus(sandbox)).toBe('deployed');
  }, 200_000);
});

/** [marker only that screen shows, tmux keys that answer it the first time]. */
type Screen = [string, string[]?];

async function walkWithEscapes(session: string, screens: Screen[]): Promise<number> {
  let checked = 0;
  for (const [i, [marker, keys = ['Enter']]] of screens.entries()) {
    await waitUntil(session, (s) => s.includes(marker), marker);
    if (i > 0) {
      const before = screens[i - 1]![0];
      await tmux('send-keys', '-t', session, 'Escape');
      const back = await waitUntil(
        session,
        (s) => s.includes(before) && !s.includes(marker),
        `esc on "${marker}" to show "${before}"`,
      );
      expect(back).toContain(before);
      checked += 1;
      await tmux('send-keys', '-t', session, 'Enter');
      await waitUntil(session, (s) => s.includes(marker), `${marker} again`);
    }
    if (i < screens.length - 1) for (const key of keys) await tmux('send-keys', '-t', session, key);
  }
  return checked;
}

describe('esc in a real terminal', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await serve();
  });

  async function start(name: string, prefix = ''): Promise<void> {
    const command = `cd ${dir} && ${prefix}NO_COLOR=1 node ${cli} --sandbox-url ${sandbox.url} --sandbox-ca ${sandbox.caFile}; echo EXIT=$?; sleep 600`;
    const started = await tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '45', command);
    expect(started.exitCode, started.stderr).toBe(0);
  }

  it('azure: esc from each screen returns to the screen before it', async () => {
    await start('esc-azure');
    const screens: Screen[] = AZURE_DEFAULT_SCREENS.map((title) => [title]);
    expect(await walkWithEscapes('esc-azure', screens)).toBe(screens.length - 1);
    await tmux('send-keys', '-t', 'esc-azure', 'C-c');
    await waitUntil('esc-azure', (s) => s.includes('EXIT='), 'exit');
  }, 240_000);

  it('other cloud: esc from each screen returns to the screen before it', async () => {
    await start('esc-other');
    const screens: Screen[] = [
      ...otherCloudFirstScreens(['Down', 'Enter']),
      ['? Identity the Feathr pods use'],
      ['? Name of the managed identity'],
      ['? Watch the path to the vault'],
      ["? Where are Feathr's secrets now?"],
      ['? Secrets to migrate'],
      ['Apply this plan?'],
    ];
    expect(await walkWithEscapes('esc-other', screens)).toBe(screens.length - 1);
    await tmux('send-keys', '-t', 'esc-other', 'C-c');
    await waitUntil('esc-other', (s) => s.includes('EXIT='), 'exit');
  }, 240_000);

  it('a terminal reporting 0 columns lays out at 80; one 24 columns wide is told it is too narrow', async () => {
    await start('zero-cols', 'stty cols 0 && ');
    const zero = await waitUntil('zero-cols', (s) => s.includes('Press enter to start'), 'the welcome at 0 columns');
    expect(zero).toContain('It asks a few questions, shows the plan, and changes nothing before you approve.');
    await tmux('send-keys', '-t', 'zero-cols', 'C-c');
    await start('narrow', 'stty cols 24 && ');
    await waitUntil('narrow', (s) => s.includes('Too narrow (24 columns)'), 'the too-narrow line');
    await tmux('send-keys', '-t', 'narrow', 'C-c');
    await waitUntil('narrow', (s) => s.includes('EXIT=130'), 'exit 130');
  }, 120_000);
});
