import { describe, expect, it } from 'vitest';
import { UserError } from '../../source/kernel/errors.js';
import { assertValuesAcceptable, findValueProblems } from '../../source/secrets/validate-values.js';
import type { SecretEntry } from '../../source/secrets/secret-entry.js';

const entry = (env: string, value: string): SecretEntry => ({
  env,
  vaultName: env.replaceAll('_', '-'),
  source: '.env test.env',
  value,
});

describe('value validation before any write', () => {
  it.each([
    { name: 'empty', value: '', problem: 'empty' },
    { name: '26 KB', value: 'x'.repeat(26 * 1024), problem: 'too-large' },
    { name: '25 KB + 1 byte', value: 'x'.repeat(25 * 1024 + 1), problem: 'too-large' },
    // 12,801 two-byte characters are 25,602 bytes: the limit is on octets, not characters.
    { name: 'multi-byte over the limit', value: 'é'.repeat(12_801), problem: 'too-large' },
  ])('refuses $name', ({ value, problem }) => {
    const problems = findValueProblems([entry('CONN_STR', value)]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.problem).toBe(problem);
    expect(problems[0]!.message).toContain('CONN_STR (from .env test.env)');
  });

  it.each([
    { name: 'exactly 25 KB', value: 'x'.repeat(25 * 1024) },
    { name: 'one byte', value: 'a' },
    { name: 'unicode with newlines and =', value: 'ключ=значение\nline2==\r\n🙂' },
  ])('accepts $name', ({ value }) => {
    expect(findValueProblems([entry('A', value)])).toEqual([]);
  });

  it('lists every refused value at once and never the value or its size', () => {
    const canary = 'CANARY-7f3a-' + 'z'.repeat(26 * 1024);
    let thrown: unknown;
    try {
      assertValuesAcceptable([entry('EMPTY_ONE', ''), entry('BIG_ONE', canary), entry('FINE', 'ok')]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserError);
    const error = thrown as UserError;
    const text = [error.message, error.hint, ...error.details].join('\n');
    expect(error.details).toHaveLength(2);
    expect(text).toContain('EMPTY_ONE');
    expect(text).toContain('BIG_ONE');
    expect(text).not.toContain('FINE');
    expect(text).not.toContain('CANARY-7f3a');
    expect(text).not.toContain(String(Buffer.byteLength(canary)));
  });
});
