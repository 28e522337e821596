/**
 * Temp folders are removed when the process is ended by SIGTERM or SIGHUP too, not only on
 * Ctrl-C: a preset run against the in-process sandbox (its throwaway state folder, helm's
 * values files) and the guided session in a real terminal. Each child gets its own TMPDIR,
 * so "nothing of ours left" is a plain listing; the process still ends by the signal sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';

const TMUX = '/usr/bin/tmux';
const socket = `kv-signals-${process.pid}`;
let dir: string;
let cli: string;
const tmux = (...args: string[]) => execa(TMUX, ['-L', socket, ...args], { reject: false });
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await ok())) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await delay(50);
  }
}

const ours = async (folder: string) => (await readdir(folder)).filter((name) => name.startsWith('feathr-kv-'));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kv-signals-'));
  await execa('node_modules/.bin/tsup', ['--out-dir', join(dir, 'dist'), '--silent']);
  await symlink(resolve('charts'), join(dir, 'charts'));
  await symlink(resolve('presets'), join(dir, 'presets'));
  cli = join(dir, 'dist', 'cli.js');
}, 120_000);

afterAll(async () => {
  await tmux('kill-server');
  await rm(dir, { recursive: true, force: true });
});

describe('ended by a signal, the run removes its temp folders', () => {
  it.each(['SIGTERM', 'SIGHUP'] as const)(
    'a preset run in the in-process sandbox, ended by %s',
    async (signal) => {
      const tmp = join(dir, `tmp-${signal}`);
      await mkdir(tmp);
      const child = execa(
        'node',
        [cli, '--preset', 'presets/other-cloud-workload-identity.yaml', '--yes', '--sandbox'],
        { cwd: dir, reject: false, env: { TMPDIR: tmp, NO_COLOR: '1' } },
      );
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      // As soon as the throwaway state folder exists: the ports are open or opening, the run ahead.
      await until('the state folder', async () => (await ours(tmp)).length > 0, 60_000);
      child.kill(signal);
      const result = await child;
      expect({ signal: result.signal, finished: /Setup applied/.test(out) }, out.slice(-1500) + result.stderr).toEqual({
        signal,
        finished: false,
      });
      expect(await ours(tmp)).toEqual([]);
    },
    120_000,
  );

  it('the guided session in a real terminal, ended by SIGHUP (the terminal closed)', async () => {
    const tmp = join(dir, 'tmp-wizard');
    await mkdir(tmp);
    // exec: the pane's process is node itself, so its pid is the one to signal.
    const started = await tmux(
      'new-session',
      '-d',
      '-s',
      'hup',
      '-x',
      '100',
      '-y',
      '40',
      `cd ${dir} && TMPDIR=${tmp} NO_COLOR=1 exec node ${cli} --sandbox`,
    );
    expect(started.exitCode, started.stderr).toBe(0);
    const pid = Number((await tmux('list-panes', '-t', 'hup', '-F', '#{pane_pid}')).stdout.trim());
    await until(
      'the session to open its sandbox',
      async () =>
        (await ours(tmp)).length > 0 &&
        (await tmux('capture-pane', '-p', '-t', 'hup')).stdout.includes('Press enter to start'),
    );
    process.kill(pid, 'SIGHUP');
    await until('the process to end', async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    expect(await ours(tmp)).toEqual([]);
  }, 120_000);
});
