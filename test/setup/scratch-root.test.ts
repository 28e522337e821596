import { rmSync, statSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { MIN_FREE_BYTES, TMPFS_MAGIC, makeScratchRoot } from './scratch-root.js';

const linux = process.platform === 'linux';
/** Read here, not asked of the helper: whether this machine's /dev/shm should get the folder. */
const shmHasRoom = (() => {
  try {
    const fs = statfsSync('/dev/shm');
    return linux && fs.type === TMPFS_MAGIC && fs.bavail * fs.bsize >= MIN_FREE_BYTES;
  } catch {
    return false;
  }
})();

describe('the tests’ scratch root', () => {
  it('keeps a TMPDIR the caller set', () => {
    expect(makeScratchRoot({ TMPDIR: '/somewhere/else' })).toBeUndefined();
  });

  // This folder, writable and with room, on the checkout's file system when that isn't tmpfs.
  const here = import.meta.dirname;
  it.runIf(linux && statfsSync(here).type !== TMPFS_MAGIC)('leaves alone a file system that is not tmpfs', () => {
    const root = makeScratchRoot({}, here, 0);
    if (root) rmSync(root, { recursive: true, force: true });
    expect(root).toBeUndefined();
  });

  it.runIf(shmHasRoom)('leaves alone a tmpfs without room', () => {
    expect(makeScratchRoot({}, '/dev/shm', Number.MAX_SAFE_INTEGER)).toBeUndefined();
  });

  it.runIf(shmHasRoom)('is a new private folder in /dev/shm when that is tmpfs with room', () => {
    const root = makeScratchRoot({});
    try {
      expect(root).toMatch(/^\/dev\/shm\/feathr-kv-setup-tests-/);
      const stat = statSync(root!);
      expect(stat.isDirectory()).toBe(true);
      expect(stat.mode & 0o777).toBe(0o700);
    } finally {
      if (root) rmSync(root, { recursive: true, force: true });
    }
  });

  it.runIf(process.env.FEATHR_KV_SETUP_TEST_SCRATCH)('is where the workers write their scratch files', () => {
    expect(tmpdir()).toBe(process.env.FEATHR_KV_SETUP_TEST_SCRATCH);
  });
});
