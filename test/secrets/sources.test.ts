import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnvText, readEnvFile } from '../../source/secrets/sources/env-file.js';
import { readEnvVars } from '../../source/secrets/sources/env-vars.js';
import { missingFeathrVariables, FEATHR_VARIABLES } from '../../source/secrets/sources/feathr-variables.js';
import { UserError } from '../../source/kernel/errors.js';
import { testTempDir } from '../helpers/temp-dir.js';

describe('.env source', () => {
  it('keeps every name, including ones dotenv skips, and the values dotenv parsed', () => {
    const text =
      'CONN_STR=one\nexport A__B="two"\n# comment\nÜBER=three\nMULTI="line1\nNOT_A_KEY=inside\n"\nFOO.BAR: four\n\nbroken line\n';
    const source = parseEnvText(text, '.env x');
    expect(source.names).toEqual(['CONN_STR', 'A__B', 'ÜBER', 'MULTI', 'FOO.BAR']);
    expect(source.values.get('A__B')).toBe('two');
    expect(source.values.has('ÜBER')).toBe(false);
    expect(source.values.get('MULTI')).toBe('line1\nNOT_A_KEY=inside\n');
  });

  it('reads a file and names a missing one without a stack', async () => {
    const dir = testTempDir('kv-env-');
    await writeFile(join(dir, 'a.env'), 'X=1\r\nY=2\r\n');
    expect((await readEnvFile(join(dir, 'a.env'))).names).toEqual(['X', 'Y']);
    await expect(readEnvFile(join(dir, 'missing.env'))).rejects.toThrow(UserError);
    await expect(readEnvFile(join(dir, 'missing.env'))).rejects.toThrow(/Can't find the env file/);
  });
});

describe('files that are not .env files', () => {
  it.each([
    ['NUL bytes', 'A=1\nB=\u0000x\n', 'The file x.env holds NUL bytes (line 2)'],
    ['an escape sequence', 'A=\u001b[2J\n', 'holds control bytes (line 1)'],
    [
      'a PEM file',
      '-----BEGIN CERTIFICATE-----\nMIIBxyzAB==\n-----END CERTIFICATE-----\n',
      'holds a PEM block (line 1: -----BEGIN CERTIFICATE-----)',
    ],
    ['no NAME=value line', '# only a comment\nplain words\n', 'has no NAME=value line'],
    ['nothing at all', '\n\n', 'is empty'],
  ])('refuses %s, naming the line and never quoting it', (_name, text, message) => {
    expect(() => parseEnvText(text, '.env x.env')).toThrow(message);
    try {
      parseEnvText(text, '.env x.env');
    } catch (error) {
      expect((error as UserError).message).not.toMatch(/MIIB|\u0000|\u001b/);
    }
  });

  it('accepts a PEM block inside a quoted value, and a BOM and CRLF', () => {
    const text = '\ufeffTLS_KEY="-----BEGIN PRIVATE KEY-----\r\nAbCd==\r\n-----END PRIVATE KEY-----"\r\nX=1\r\n';
    expect(parseEnvText(text, '.env x').names).toEqual(['TLS_KEY', 'X']);
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
    expect(missingFeathrVariables(['CONN_STR', 'conn_str', 'FEATHRCI_HOST'])).toEqual(
      FEATHR_VARIABLES.filter((v) => v !== 'CONN_STR' && v !== 'FEATHRCI_HOST'),
    );
  });
});
