/**
 * The bundled bin (what `npx feathr-kv-setup` runs after `npm install`): built once with the
 * project's tsup config into a temp folder, then run as a real process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

let cli: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kv-dist-'));
  await execa('node_modules/.bin/tsup', ['--out-dir', join(dir, 'dist'), '--silent']);
  cli = join(dir, 'dist', 'cli.js');
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const run = (args: string[], input?: string) =>
  execa('node', [cli, ...args], { reject: false, input: input ?? '', env: { NO_COLOR: '1' } });

describe('dist/cli.js', () => {
  it('prints help and the version quickly', async () => {
    const started = Date.now();
    const help = await run(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('secrets');
    expect(Date.now() - started).toBeLessThan(3000);
    const version = await run(['--version']);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('without a TTY and no preset exits 1 naming what is missing', async () => {
    const result = await run([]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('missing: vault.name');
  });

  it('rejects a bad preset with every path, and reports a good one in JSON', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'version: 1\ntarget: other-cloud\nnetwork:\n  allowedIps: [10.0.0.1]\n');
    const result = await run(['plan', '--preset', bad, '--sandbox']);
    expect(result.exitCode).toBe(1);
    for (const path of ['network.allowedIps[0]: is private', 'azure: is required', 'vault: is required'])
      expect(result.stderr).toContain(path);
    const good = await run(['uninstall', '--preset', 'presets/other-cloud-allowlist.yaml', '--output', 'json']);
    expect(good.exitCode).toBe(1);
    expect(JSON.parse(good.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'result', ok: false });
  });

  it('sandbox serve prints one ready line and stops cleanly on SIGTERM', async () => {
    const child = execa('node', [cli, 'sandbox', 'serve', '--port', '0'], { reject: false });
    const line = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        if (buffered.includes('\n')) resolve(buffered.split('\n')[0]!);
      });
      child.on('exit', () => reject(new Error(`exited before ready: ${buffered}`)));
    });
    const ready = JSON.parse(line);
    expect(ready.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(ready).toHaveProperty('caFile');
    // serve.ts listens for SIGTERM before it prints the ready line, so stopping it the moment
    // the line arrives still exits 0 and cleans up.
    child.kill('SIGTERM');
    const result = await child;
    expect(result.signal, result.stderr).toBeUndefined();
    expect(result.exitCode).toBe(0);
  });

  describe('secrets map through npx (the bin as npm links it: node_modules/.bin, shebang)', () => {
    let project: string;
    const npx = (args: string[]) =>
      execa('npx', ['--no-install', 'feathr-kv-setup', ...args], {
        cwd: project,
        reject: false,
        env: { NO_COLOR: '1' },
      });
    // Printable text only: no NUL, no escape sequence, no other control byte from a file.
    const printable = (text: string) => expect(text).toMatch(/^[\n\t\x20-\x7e\u00a0-\uffff]*$/u);

    beforeAll(async () => {
      project = await mkdtemp(join(tmpdir(), 'kv-npx-'));
      await writeFile(join(project, 'package.json'), '{"name":"npx-try","private":true}');
      await mkdir(join(project, 'node_modules', '.bin'), { recursive: true });
      await symlink(cli, join(project, 'node_modules', '.bin', 'feathr-kv-setup'));
      await writeFile(join(project, 'ok.env'), 'CONN_STR=v1\n');
      await writeFile(
        join(project, 'binary.env'),
        Buffer.from([0x43, 0x3d, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x07, 0x0a, 0xff, 0xfe]),
      );
      await writeFile(
        join(project, 'key.pem'),
        '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nAbCd==\n-----END PRIVATE KEY-----\n',
      );
      await writeFile(join(project, 'notes.env'), '# just a comment\nhello world\n');
    });
    afterAll(() => rm(project, { recursive: true, force: true }));

    it("a missing file given with --dotenv: the tool's own message, exit 1", async () => {
      const run = await npx(['secrets', 'map', '--dotenv', 'missing.env']);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain("Can't find the env file");
      expect(run.stderr).toContain('missing.env');
    });

    it('--env-file still works for a file that exists', async () => {
      const run = await npx(['secrets', 'map', '--env-file', 'ok.env']);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/CONN_STR\s+→ CONN-STR/);
    });

    it.each([
      ['binary.env', 'holds NUL bytes (line 1)'],
      ['key.pem', 'holds a PEM block (line 1: -----BEGIN PRIVATE KEY-----)'],
      ['notes.env', 'has no NAME=value line'],
    ])('%s is refused with a clear message and nothing but printable text', async (file, message) => {
      const run = await npx(['secrets', 'map', '--dotenv', file]);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(message);
      printable(run.stdout + run.stderr);
      expect(run.stdout + run.stderr).not.toContain('MIIEvQ');
    });
  });
});
