/** Wrapped lines continue under their text, never at column 0. */
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { CheckTable } from '../../source/ui/check-table.js';

describe('hanging indent', () => {
  it('a check row longer than the terminal wraps under its description', () => {
    const long =
      "the vault's firewall admits the configured egress addresses only: node ip-192-168-3-10.ec2.internal egresses from 52.14.20.9, which the firewall does not allow";
    const { lastFrame } = render(
      <CheckTable
        checks={[
          {
            category: 'network',
            description: long,
            status: 'fail',
            severity: 'fatal',
            message: undefined,
            hint: 'Add 52.14.20.9 to network.allowedIps and run the setup again; nothing else changes in the preset.',
          } as never,
        ]}
      />,
    );
    const rows = lastFrame()!.split('\n');
    const first = rows.findIndex((r) => r.includes('the vault'));
    const indent = rows[first]!.indexOf('the vault');
    expect(rows[first + 1]!.slice(0, indent).trim()).toBe('');
    expect(rows[first + 1]!.length).toBeGreaterThan(indent);
    // The fix continues under its own text too.
    const fix = rows.findIndex((r) => r.includes('fix: Add'));
    expect(rows[fix + 1]!.slice(0, rows[fix]!.indexOf('Add')).trim()).toBe('');
    expect(rows[fix + 1]!.trim()).toBe('in the preset.');
  });
});
