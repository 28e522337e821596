import { describe, expect, it } from 'vitest';
import { wrapForTerminal } from '../../source/output/wrap.js';

describe('wrapForTerminal', () => {
  it('wraps a long marked line under its text, never at column 0', () => {
    const line =
      "× the vault's firewall admits the configured egress addresses only: node aks-nodes-2 egresses from 20.1.2.3";
    const out = wrapForTerminal(line, 40).split('\n');
    expect(out.length).toBeGreaterThan(2);
    for (const next of out.slice(1)) expect(next).toMatch(/^ {2}\S/);
    for (const row of out) expect(row.length).toBeLessThanOrEqual(40);
    expect(out.join(' ').replace(/\s+/g, ' ')).toBe(line);
  });

  it('keeps the indent of an indented fix line, and colour codes whole', () => {
    const line = `    fix: \u001b[2m${'az keyvault network-rule add --name feathr-kv --ip-address 20.1.2.3 '.repeat(2)}\u001b[22m`;
    const out = wrapForTerminal(line, 50).split('\n');
    for (const next of out.slice(1)) expect(next.replace(/\u001b\[[0-9;]*m/g, '')).toMatch(/^ {4}\S/);
    expect(out.join('')).toContain('\u001b[22m');
  });

  it('leaves text alone without a terminal width, and short lines always', () => {
    const long = 'x '.repeat(100);
    expect(wrapForTerminal(long, undefined)).toBe(long);
    expect(wrapForTerminal('√ short', 40)).toBe('√ short');
  });
});
