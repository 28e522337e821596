import { rmSync, statSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { makeScratchRoot } from './scratch-root.js';

const onTmpfs = (() => {
  try {
    return process.platform === 'linux' && statfsSync('/dev/shm').type === 0x01021994;
  } catch {
    return false;
  }
})();

describe('the tests’ scratch root', () => {
  it('keeps a TMPDIR the caller set', () => {
    expect(makeScratchRoot({ TMPDIR: '/somewhere/else' })).toBeUndefined();
  });

  it.runIf(onTmpfs)('is a new private folder in /dev/shm where that is tmpfs', () => {
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
