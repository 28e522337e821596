import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../helpers/temp-dir.js';
import { distinctSearchPath } from './search-path.js';

describe('the tests’ PATH', () => {
  it('keeps each folder once, in order, and drops the ones that do not exist', () => {
    const root = testTempDir('feathr-kv-setup-path-');
    const real = join(root, 'usr-bin');
    const other = join(root, 'other');
    mkdirSync(real);
    mkdirSync(other);
    symlinkSync(real, join(root, 'bin'));
    const given = [real, join(root, 'missing'), other, '', join(root, 'bin'), real].join(':');
    expect(distinctSearchPath(given)).toBe([real, other].join(':'));
  });
});
