/**
 * The bundled bin (what `npx feathr-kv-setup` runs after `npm install`): built once with the
 * project's tsup config into a temp folder, then run as a real process.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
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

const run = (args: string[], input?: string) => execa('node', [cli, ...args], { reject: false, input: input ?? '', env: { NO_COLOR: '1' } });

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
    for (const path of ['network.allowedIps[0]: is private', 'azure: is required', 'vault: is required']) expect(result.stderr).toContain(path);
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
});
