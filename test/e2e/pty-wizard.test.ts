/**
 * The built CLI in a real pseudo-terminal (tmux): raw mode, the first frame, arrows and enter,
 * Ctrl-C during apply. It runs against `sandbox serve` started from the same build, as a user
 * rehearsing with their own sandbox would. tmux runs on a private socket so no other session
 * is touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa, type ResultPromise } from 'execa';

const TMUX = '/usr/bin/tmux';
let dir: string;
let cli: string;
const socket = `kv-pty-${process.pid}`;
const servers: ResultPromise[] = [];

const tmux = (...args: string[]) => execa(TMUX, ['-L', socket, ...args], { reject: false });
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function serve(extra: string[] = []): Promise<{ url: string; caFile: string; token: string }> {
  const child = execa('node', [cli, 'sandbox', 'serve', '--port', '0', ...extra], { reject: false });
  servers.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (buffered.includes('\n')) resolve(buffered.split('\n')[0]!);
    });
    child.on('exit', () => reject(new Error(`sandbox serve exited before ready: ${buffered}`)));
  });
  return JSON.parse(line) as { url: string; caFile: string; token: string };
}

/** The feathr-online release on the simulated AKS cluster, read from the sandbox's cluster view. */
async function releaseStatus(sandbox: { url: string; caFile: string; token: string }): Promise<string | undefined> {
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

async function screen(session: string): Promise<string> {
  // With the scrollback: a finished run is taller than the 40-line pane.
  return (await tmux('capture-pane', '-p', '-S', '-400', '-t', session)).stdout;
}

/** Polls the pane until `text` shows, then returns it (a real terminal has no lastFrame()). */
async function waitFor(session: string, text: string | RegExp, timeoutMs = 30_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const pane = await screen(session);
    if (typeof text === 'string' ? pane.includes(text) : text.test(pane)) {
      await delay(60); // the new screen's key handler subscribes right after its frame
      return pane;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${String(text)}. Screen:\n${pane}`);
    await delay(50);
  }
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

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kv-pty-'));
  await execa('node_modules/.bin/tsup', ['--out-dir', join(dir, 'dist'), '--silent']);
  // The bin finds its chart next to dist/, as in the published package.
  await symlink(resolve('charts'), join(dir, 'charts'));
  cli = join(dir, 'dist', 'cli.js');
}, 120_000);

afterAll(async () => {
  await tmux('kill-server');
  for (const server of servers) server.kill('SIGTERM');
  await Promise.allSettled(servers);
  await rm(dir, { recursive: true, force: true });
});

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
