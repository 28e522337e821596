/**
 * In a real terminal (tmux on a private socket), esc from each wizard screen returns to the
 * screen before it, in both topologies, against `sandbox serve` from the same build. A
 * terminal reporting 0 columns still lays the wizard out, and a very narrow one is told so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { AZURE_DEFAULT_SCREENS } from '../ui/wizard-screens.js';

const TMUX = '/usr/bin/tmux';
let dir: string;
let cli: string;
let sandbox: { url: string; caFile: string };
const socket = `kv-pty-esc-${process.pid}`;
const servers: ResultPromise[] = [];

const tmux = (...args: string[]) => execa(TMUX, ['-L', socket, ...args], { reject: false });
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serve(): Promise<{ url: string; caFile: string }> {
  const child = execa('node', [cli, 'sandbox', 'serve', '--port', '0'], { reject: false });
  servers.push(child);
  const line = await new Promise<string>((resolveLine, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (buffered.includes('\n')) resolveLine(buffered.split('\n')[0]!);
    });
    child.on('exit', () => reject(new Error(`sandbox serve exited before ready: ${buffered}`)));
  });
  return JSON.parse(line) as { url: string; caFile: string };
}

/** The visible pane only: what the user sees now, not the scrollback. */
const pane = async (session: string) => (await tmux('capture-pane', '-p', '-t', session)).stdout;

async function waitUntil(
  session: string,
  ok: (screen: string) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<string> {
  const started = Date.now();
  for (;;) {
    const screen = await pane(session);
    if (ok(screen)) {
      await delay(80); // the new screen's key handler subscribes right after its frame
      return screen;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}. Screen:\n${screen}`);
    await delay(50);
  }
}

async function start(name: string, prefix = ''): Promise<void> {
  const command = `cd ${dir} && ${prefix}NO_COLOR=1 node ${cli} --sandbox-url ${sandbox.url} --sandbox-ca ${sandbox.caFile}; echo EXIT=$?; sleep 600`;
  const started = await tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '45', command);
  expect(started.exitCode, started.stderr).toBe(0);
}

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

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kv-pty-esc-'));
  await execa('node_modules/.bin/tsup', ['--out-dir', join(dir, 'dist'), '--silent']);
  await symlink(resolve('charts'), join(dir, 'charts'));
  cli = join(dir, 'dist', 'cli.js');
  sandbox = await serve();
}, 120_000);

afterAll(async () => {
  await tmux('kill-server');
  for (const server of servers) server.kill('SIGTERM');
  await Promise.allSettled(servers);
  await rm(dir, { recursive: true, force: true });
});

describe('esc in a real terminal', () => {
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
      ['Press enter to start'],
      ['? Where does the Feathr cluster run?', ['Down', 'Enter']],
      ['? Azure subscription'],
      ['? Resource group for the vault'],
      ['? Azure region for the vault'],
      ['? Key Vault'],
      ['? Name of the new vault'],
      ['? Kube context of that cluster'],
      ['? Public egress IPs of the cluster'],
      ['? Secrets Store CSI driver'],
      ['? Secret rotation'],
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
