/**
 * What this tool wrote, kept on the operator's machine only: per vault and secret, the version
 * it created and a salted digest (HMAC-SHA256 with a random key that never leaves this file).
 * When the operator can't read the vault over the data plane (private vault), a re-run can
 * still tell "unchanged" (the version it wrote is still current and the digest matches) from
 * "changed" without writing. Nothing here is ever sent to Azure or printed; the file is 0600
 * in a 0700 directory, and it holds no value.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { nameKey } from './secret-entry.js';

const FILE_NAME = 'written-secrets.json';

interface RecordFile {
  version: 1;
  /** base64 HMAC key, random per machine. */
  key: string;
  vaults: Record<string, Record<string, { version: string; digest: string; writtenAt: string }>>;
}

/** $FEATHR_KV_SETUP_STATE_DIR, else $XDG_STATE_HOME/feathr-kv-setup, else ~/.local/state/feathr-kv-setup. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.FEATHR_KV_SETUP_STATE_DIR) return env.FEATHR_KV_SETUP_STATE_DIR;
  const base =
    env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(home, '.local', 'state');
  return join(base, 'feathr-kv-setup');
}

export interface WrittenRecord {
  /** True when this machine wrote exactly this value as `currentVersion`, and it is still current. */
  matches(vaultName: string, currentVersion: string | undefined, value: string): boolean;
  /** The version this machine last wrote, if any. */
  versionWritten(vaultName: string): string | undefined;
  remember(vaultName: string, version: string, value: string): void;
  /** Writes the file (atomically, 0600) when something was remembered. */
  save(): Promise<void>;
  readonly path: string;
}

/**
 * `readOnly` (plan, dry-run, verify) never touches the disk beyond reading: a plan makes no
 * write of any kind. Writers create the file at open, so runs opened side by side share one key.
 */
export async function openWrittenRecord(options: {
  stateDir: string;
  vaultKey: string;
  now?: () => Date;
  readOnly?: boolean;
}): Promise<WrittenRecord> {
  const path = join(options.stateDir, FILE_NAME);
  const now = options.now ?? (() => new Date());
  const vaultKey = options.vaultKey.toLowerCase();
  const file = options.readOnly ? await load(path) : await loadOrCreate(options.stateDir, path);
  const key = Buffer.from(file.key, 'base64');
  const entries = (file.vaults[vaultKey] ??= {});
  let dirty = false;

  const digest = (vaultName: string, value: string) =>
    createHmac('sha256', key)
      .update(`${vaultKey}\0${nameKey(vaultName)}\0`)
      .update(value, 'utf8')
      .digest('base64');

  return {
    path,
    matches(vaultName, currentVersion, value) {
      const entry = entries[nameKey(vaultName)];
      return (
        !!entry && !!currentVersion && entry.version === currentVersion && entry.digest === digest(vaultName, value)
      );
    },
    versionWritten(vaultName) {
      return entries[nameKey(vaultName)]?.version;
    },
    remember(vaultName, version, value) {
      entries[nameKey(vaultName)] = { version, digest: digest(vaultName, value), writtenAt: now().toISOString() };
      dirty = true;
    },
    async save() {
      if (!dirty) return;
      if (options.readOnly) throw new Error('openWrittenRecord: save() on a read-only record');
      await mkdir(options.stateDir, { recursive: true, mode: 0o700 });
      // Re-read so two runs against different vaults don't drop each other's entries.
      const read = await load(path, file.key);
      // Digests are only comparable under one key; if another run re-keyed the file, ours wins.
      const latest = read.key === file.key ? read : { ...file, vaults: {} };
      latest.vaults[vaultKey] = { ...latest.vaults[vaultKey], ...entries };
      const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFile(temp, serialise(latest), { mode: 0o600 });
        await rename(temp, path);
      } finally {
        await rm(temp, { force: true });
      }
      await chmod(path, 0o600);
      dirty = false;
    },
  };
}

/** Creates the file with its key on first use, so runs opened side by side share one key. */
async function loadOrCreate(stateDir: string, path: string): Promise<RecordFile> {
  const existing = await load(path);
  if (existing.created) return existing;
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, serialise(existing), { mode: 0o600, flag: 'wx' });
    return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return load(path);
  }
}

async function load(path: string, fallbackKey?: string): Promise<RecordFile & { created?: true }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return { version: 1, key: fallbackKey ?? randomBytes(32).toString('base64'), vaults: {} };
  }
  const parsed = JSON.parse(text) as Partial<RecordFile>;
  if (parsed.version !== 1 || typeof parsed.key !== 'string' || typeof parsed.vaults !== 'object' || !parsed.vaults) {
    // An unreadable record only costs a rewrite of unchanged secrets; never a reason to stop.
    return { version: 1, key: fallbackKey ?? randomBytes(32).toString('base64'), vaults: {} };
  }
  // Loosened permissions (a copy, a backup restore) are tightened back.
  await chmod(path, 0o600).catch(() => undefined);
  return { ...(parsed as RecordFile), created: true };
}

function serialise(file: RecordFile): string {
  return JSON.stringify({ version: 1, key: file.key, vaults: file.vaults }, null, 2);
}
