/**
 * What the tmux (pty) tests share: the bundle built once into a temp folder, one tmux server on
 * a private socket (no other session is touched), the `sandbox serve` children, and polling the
 * pane (a real terminal has no lastFrame()).
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa, type ResultPromise } from 'execa';

export interface Sandbox {
  url: string;
  caFile: string;
  token: string;
}

const TMUX = '/usr/bin/tmux';
const socket = `kv-pty-${process.pid}`;
const servers: ResultPromise[] = [];
let dir: string;
let cli: string;

export const tmux = (...args: string[]) => execa(TMUX, ['-L', socket, ...args], { reject: false });
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A new temp folder with the bundle built into dist/. */
export async function build(): Promise<{ dir: string; cli: string }> {
  dir = await mkdtemp(join(tmpdir(), 'kv-pty-'));
  await execa('node_modules/.bin/tsup', ['--out-dir', join(dir, 'dist'), '--silent']);
  // The bin finds its chart next to dist/, as in the published package.
  await symlink(resolve('charts'), join(dir, 'charts'));
  cli = join(dir, 'dist', 'cli.js');
  return { dir, cli };
}

/** Stops the tmux server and every sandbox, and removes the temp folder. */
export async function teardown(): Promise<void> {
  await tmux('kill-server');
  for (const server of servers) server.kill('SIGTERM');
  await Promise.allSettled(servers);
  await rm(dir, { recursive: true, force: true });
}

/** `sandbox serve` from the build, once it has printed its ready line. */
export async function serve(extra: string[] = []): Promise<Sandbox> {
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
  return JSON.parse(line) as Sandbox;
}

/** The pane with its scrollback: a finished run is taller than the pane. */
const captureWithScrollback = async (session: string) =>
  (await tmux('capture-pane', '-p', '-S', '-400', '-t', session)).stdout;

/** The visible pane only: what the user sees now, not the scrollback. */
const captureVisible = async (session: string) => (await tmux('capture-pane', '-p', '-t', session)).stdout;

async function poll(
  capture: () => Promise<string>,
  ok: (screen: string) => boolean,
  what: string,
  timeoutMs: number,
  settleMs: number,
): Promise<string> {
  const started = Date.now();
  for (;;) {
    const screen = await capture();
    if (ok(screen)) {
      await delay(settleMs); // the new screen's key handler subscribes right after its frame
      return screen;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}. Screen:\n${screen}`);
    await delay(50);
  }
}

/** Polls the pane and its scrollback until `text` shows, then returns it. */
export const waitFor = (session: string, text: string | RegExp, timeoutMs = 30_000) =>
  poll(
    () => captureWithScrollback(session),
    (screen) => (typeof text === 'string' ? screen.includes(text) : text.test(screen)),
    String(text),
    timeoutMs,
    60,
  );

/** Polls the visible pane until `ok` holds, then returns it. */
export const waitUntil = (session: string, ok: (screen: string) => boolean, what: string, timeoutMs = 30_000) =>
  poll(() => captureVisible(session), ok, what, timeoutMs, 80);
