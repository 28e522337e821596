import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnvText, readEnvFile } from '../../source/secrets/sources/env-file.js';
import { readEnvVars } from '../../source/secrets/sources/env-vars.js';
import { missingFeathrVariables, FEATHR_VARIABLES } from '../../source/secrets/sources/feathr-variables.js';
import { UserError } from '../../source/kernel/errors.js';

describe('.env source', () => {
  it('keeps every name, including ones dotenv skips, and the values dotenv parsed', () => {
    const text = 'CONN_STR=one\nexport A__B="two"\n# comment\nÜBER=three\nMULTI="line1\nNOT_A_KEY=inside\n"\nFOO.BAR: four\n\nbroken line\n';
    const source = parseEnvText(text, '.env x');
    expect(source.names).toEqual(['CONN_STR', 'A__B', 'ÜBER', 'MULTI', 'FOO.BAR']);
    expect(source.values.get('A__B')).toBe('two');
    expect(source.values.has('ÜBER')).toBe(false);
    expect(source.values.get('MULTI')).toBe('line1\nNOT_A_KEY=inside\n');
  });

  it('reads a file and names a missing one without a stack', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kv-env-'));
    await writeFile(join(dir, 'a.env'), 'X=1\r\nY=2\r\n');
    expect((await readEnvFile(join(dir, 'a.env'))).names).toEqual(['X', 'Y']);
    await expect(readEnvFile(join(dir, 'missing.env'))).rejects.toThrow(UserError);
    await expect(readEnvFile(join(dir, 'missing.env'))).rejects.toThrow(/Can't find the env file/);
  });
});

describe('environment variable source', () => {
  it('splits set and missing names; an empty value counts as set', () => {
    const source = readEnvVars(['A', 'B', 'C'], { A: 'x', C: '' });
    expect(source.names).toEqual(['A', 'C']);
    expect(source.missing).toEqual(['B']);
  });
});

describe('Feathr variables', () => {
  it('names the expected variables no source has, case-sensitively', () => {
    expect(missingFeathrVariables(['CONN_STR', 'conn_str', 'FEATHRCI_HOST'])).toEqual(FEATHR_VARIABLES.filter((v) => v !== 'CONN_STR' && v !== 'FEATHRCI_HOST'));
  });
});
