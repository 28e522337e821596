import { mkdtemp, readdir, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultStateDir, openWrittenRecord } from '../../source/secrets/written-record.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kv-record-'));
  dirs.push(dir);
  return dir;
}

describe('the local written-record', () => {
  it('persists version + salted digest in an owner-only file holding no value', async () => {
    const root = await tempDir();
    const stateDir = join(root, 'state', 'feathr-kv-setup');
    const record = await openWrittenRecord({ stateDir, vaultKey: 'https://sandbox/vaults/kv1' });
    record.remember('CONN-STR', 'ver-1', 'CANARY-record-value-91');
    await record.save();

    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
    expect((await stat(record.path)).mode & 0o777).toBe(0o600);
    const text = await readFile(record.path, 'utf8');
    expect(text).not.toContain('CANARY-record-value-91');
    expect(text).toContain('ver-1');
    expect(await readdir(stateDir)).toEqual(['written-secrets.json']);

    const again = await openWrittenRecord({ stateDir, vaultKey: 'https://sandbox/vaults/KV1' });
    expect(again.matches('conn-str', 'ver-1', 'CANARY-record-value-91')).toBe(true);
    expect(again.matches('CONN-STR', 'ver-2', 'CANARY-record-value-91')).toBe(false);
    expect(again.matches('CONN-STR', 'ver-1', 'CANARY-record-value-92')).toBe(false);
    expect(again.matches('CONN-STR', undefined, 'CANARY-record-value-91')).toBe(false);
  });

  it('keys entries per vault and keeps other vaults on save', async () => {
    const stateDir = await tempDir();
    const a = await openWrittenRecord({ stateDir, vaultKey: 'vault-a' });
    const b = await openWrittenRecord({ stateDir, vaultKey: 'vault-b' });
    a.remember('X', 'v1', 'same');
    b.remember('X', 'v1', 'same');
    await a.save();
    await b.save();
    const c = await openWrittenRecord({ stateDir, vaultKey: 'vault-c' });
    expect(c.matches('X', 'v1', 'same')).toBe(false);
    expect((await openWrittenRecord({ stateDir, vaultKey: 'vault-a' })).matches('X', 'v1', 'same')).toBe(true);
    expect((await openWrittenRecord({ stateDir, vaultKey: 'vault-b' })).matches('X', 'v1', 'same')).toBe(true);
  });

  it('salts digests per machine: the same value gives different digests in two state dirs', async () => {
    const [one, two] = [await tempDir(), await tempDir()];
    for (const dir of [one, two]) {
      const r = await openWrittenRecord({ stateDir: dir, vaultKey: 'v' });
      r.remember('A', 'v1', 'identical');
      await r.save();
    }
    const digest = async (dir: string) =>
      JSON.parse(await readFile(join(dir, 'written-secrets.json'), 'utf8')).vaults.v.a.digest as string;
    expect(await digest(one)).not.toBe(await digest(two));
  });

  it('tightens a loosened file back to 0600', async () => {
    const stateDir = await tempDir();
    const r = await openWrittenRecord({ stateDir, vaultKey: 'v' });
    r.remember('A', 'v1', 'x');
    await r.save();
    await chmod(r.path, 0o644);
    await openWrittenRecord({ stateDir, vaultKey: 'v' });
    expect((await stat(r.path)).mode & 0o777).toBe(0o600);
  });

  it('starts over from an unreadable record instead of failing', async () => {
    const stateDir = await tempDir();
    await writeFile(join(stateDir, 'written-secrets.json'), '{"version":7}', { mode: 0o600 });
    const r = await openWrittenRecord({ stateDir, vaultKey: 'v' });
    expect(r.versionWritten('A')).toBeUndefined();
  });

  it.each([
    { env: { FEATHR_KV_SETUP_STATE_DIR: '/x/state' }, expected: '/x/state' },
    { env: { XDG_STATE_HOME: '/xdg' }, expected: '/xdg/feathr-kv-setup' },
    { env: { XDG_STATE_HOME: 'relative' }, expected: '/home/op/.local/state/feathr-kv-setup' },
    { env: {}, expected: '/home/op/.local/state/feathr-kv-setup' },
  ])('state dir from $env', ({ env, expected }) => {
    expect(defaultStateDir(env, '/home/op')).toBe(expected);
  });
});

describe('a read-only record (plan, dry-run, verify)', () => {
  it('reads what exists and creates nothing', async () => {
    const root = await tempDir();
    const stateDir = join(root, 'never-created');
    const record = await openWrittenRecord({ stateDir, vaultKey: 'v', readOnly: true });
    expect(record.versionWritten('A')).toBeUndefined();
    await expect(stat(stateDir)).rejects.toMatchObject({ code: 'ENOENT' });
    record.remember('A', 'v1', 'x');
    await expect(record.save()).rejects.toThrow(/read-only/);
    await expect(stat(stateDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
