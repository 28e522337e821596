/**
 * Property: .env files with odd names, encodings, BOMs, CRLF, duplicate keys and 1 MB lines,
 * through `secrets map --env-file` (no Azure at all) and through a preset's envFile source
 * (the sandbox's request log proves nothing reaches Azure until the names are valid).
 * The oracle for names is written here from Key Vault's rules, not imported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { crashSigns, resultEvent, startSandboxCli, type SandboxCli } from './sandbox-cli.js';

let cli: SandboxCli;
let preset: Record<string, any>;
let seq = 0;

beforeAll(async () => {
  cli = await startSandboxCli();
  preset = parse(await readFile('presets/aks-private-endpoint.yaml', 'utf8'));
});
afterAll(async () => cli?.close());

// Characters a name may have in a `NAME=value` line (the line grammar stops at these).
const NAME_CHAR = fc.oneof(
  {
    weight: 16,
    arbitrary: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_'.split('')),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('-', '.', 'é', 'Ü', 'ß', '$', '%', '+', '/', '~', '\u00a0x'.slice(1), '😀', 'İ'),
  },
);
const nameArb = fc.array(NAME_CHAR, { minLength: 1, maxLength: 20 }).map((chars) => chars.join(''));
const valueArb = fc.oneof(
  fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n'"`#\\]/g, '')),
  fc.constant('x'.repeat(1 << 20)),
);

/** Key Vault's rules, independently: pod name usable as env/key, vault name [0-9A-Za-z-]{1,127}, unique ignoring case. */
function expectedValid(names: string[]): boolean {
  const vaultNames = new Set<string>();
  for (const name of names) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return false;
    const vault = name.replaceAll('_', '-');
    if (!/^[0-9A-Za-z-]{1,127}$/.test(vault)) return false;
    if (vaultNames.has(vault.toLowerCase())) return false;
    vaultNames.add(vault.toLowerCase());
  }
  return true;
}

interface EnvCase {
  names: string[];
  bytes: Buffer;
  describe: string;
}

const envCaseArb: fc.Arbitrary<EnvCase> = fc
  .tuple(
    fc.uniqueArray(nameArb, { minLength: 1, maxLength: 6 }),
    fc.array(valueArb, { minLength: 6, maxLength: 6 }),
    fc.record({ bom: fc.boolean(), crlf: fc.boolean(), exportPrefix: fc.boolean(), comments: fc.boolean() }),
  )
  .map(([names, values, style]) => {
    const eol = style.crlf ? '\r\n' : '\n';
    const lines = names.map((name, i) => `${style.exportPrefix ? 'export ' : ''}${name}=${values[i]}`);
    if (style.comments) lines.unshift('# generated', '');
    const text = lines.join(eol) + eol;
    const bytes = Buffer.concat([style.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text)]);
    return { names, bytes, describe: `${JSON.stringify(names)} ${JSON.stringify(style)}` };
  });

async function writeEnv(bytes: Buffer): Promise<string> {
  const file = join(cli.dir, `hostile-${++seq}.env`);
  await writeFile(file, bytes);
  return file;
}

function errorText(stdout: string): string {
  const result = resultEvent(stdout);
  return [result?.error?.message ?? '', ...(result?.error?.details ?? [])].join('\n');
}

describe('hostile .env files and secret names', () => {
  it('secrets map: exit 0 exactly when every name is valid, else exit 1 naming each bad name', async () => {
    const seen = { valid: 0, invalid: 0 };
    await fc.assert(
      fc.asyncProperty(envCaseArb, async ({ names, bytes, describe: what }) => {
        const file = await writeEnv(bytes);
        const run = await cli.run(['secrets', 'map', '--env-file', file, '--output', 'json']);
        const context = `${what}\n${run.all.slice(0, 2000)}`;
        expect(crashSigns(run.all), context).toEqual([]);
        const valid = expectedValid(names);
        seen[valid ? 'valid' : 'invalid'] += 1;
        expect(run.code, context).toBe(valid ? 0 : 1);
        if (!valid) {
          const text = errorText(run.stdout);
          const bad = names.filter((n) => !expectedValid([n]));
          for (const name of bad) expect(text, context).toContain(name);
        }
        expect(run.requests, 'secrets map never talks to Azure').toEqual([]);
      }),
      { numRuns: 80, seed: Number(process.env.FC_SEED ?? 9) },
    );
    expect(seen.valid).toBeGreaterThan(5);
    expect(seen.invalid).toBeGreaterThan(5);
  });

  it('a preset whose .env has a bad name stops before any Azure request, naming the source field', async () => {
    await fc.assert(
      fc.asyncProperty(
        envCaseArb.filter((c) => !expectedValid(c.names)),
        async ({ bytes, describe: what }) => {
          const envFile = await writeEnv(bytes);
          const doc = structuredClone(preset);
          doc.secrets.sources = [{ envFile }];
          const file = join(cli.dir, `preset-env-${seq}.yaml`);
          await writeFile(file, stringify(doc));
          const run = await cli.run(['plan', '--preset', file, '--output', 'json']);
          const context = `${what}\n${run.all.slice(0, 2000)}`;
          expect(crashSigns(run.all), context).toEqual([]);
          expect(run.code, context).toBe(1);
          expect(errorText(run.stdout), context).toMatch(/secrets\.(sources|rename)/);
          expect(run.requests, context).toEqual([]);
        },
      ),
      { numRuns: 25, seed: Number(process.env.FC_SEED ?? 9) },
    );
  });

  it('odd encodings and duplicate keys never crash secrets map', async () => {
    const valid = 'FEATHRCI_HOST=a\nCONN_STR=b\n';
    const files: [string, Buffer][] = [
      ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid, 'utf16le')])],
      ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(valid, 'utf16le').swap16()])],
      ['Latin-1 name', Buffer.from('CAFÉ_URL=x\n', 'latin1')],
      ['NUL bytes', Buffer.from('A=1\u0000\nB\u0000C=2\n')],
      ['duplicate keys', Buffer.from('CONN_STR=one\nCONN_STR=two\n')],
      ['only a BOM', Buffer.from([0xef, 0xbb, 0xbf])],
      ['1 MB name', Buffer.from(`${'N'.repeat(1 << 20)}=v\n`)],
      ['CR only line ends', Buffer.from('A=1\rB=2\r')],
    ];
    for (const [what, bytes] of files) {
      const run = await cli.run(['secrets', 'map', '--env-file', await writeEnv(bytes), '--output', 'json']);
      expect(crashSigns(run.all), `${what}\n${run.all.slice(0, 1000)}`).toEqual([]);
      expect([0, 1], what).toContain(run.code);
      if (run.code === 1) expect(errorText(run.stdout).length, what).toBeGreaterThan(0);
      // Nothing of the value side is echoed, even on failure.
      expect(run.all, what).not.toContain('one');
    }
  });
});
