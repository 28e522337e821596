/**
 * Property: whatever preset a user (or an attacker) hands to `plan --preset`, the CLI never
 * crashes, exits 1 naming the field it rejects (or 0/2 when the preset really is valid), and
 * sends no request to Azure until the preset has passed validation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadPreset } from '../../source/config/load-preset.js';
import { formatPath } from '../../source/config/issues.js';
import { crashSigns, resultEvent, startSandboxCli, type SandboxCli } from './sandbox-cli.js';
import { mutationArb, oddDocumentArb, type Doc } from './preset-mutations.js';

let cli: SandboxCli;
let validYaml: string;
let base: Doc;
let seq = 0;

beforeAll(async () => {
  cli = await startSandboxCli();
  validYaml = await readFile('presets/aks-private-endpoint.yaml', 'utf8');
  base = parse(validYaml) as Doc;
});
afterAll(async () => cli?.close());

const azureRequests = (requests: { plane: string }[]) =>
  requests.filter((r) => r.plane === 'arm' || r.plane === 'dataplane');

/** Runs plan on the bytes and checks the contract; returns the exit code. */
async function planOn(bytes: Buffer, what: string, expectField?: string[]): Promise<number> {
  const file = join(cli.dir, `preset-${++seq}.yaml`);
  await writeFile(file, bytes);
  const run = await cli.run(['plan', '--preset', file, '--output', 'json']);
  const context = `${what}\n--- output ---\n${run.all.slice(0, 3000)}`;
  expect(crashSigns(run.all), context).toEqual([]);
  expect([0, 1, 2], context).toContain(run.code);
  const result = resultEvent(run.stdout);
  expect(result?.exitCode, context).toBe(run.code);
  if (run.code !== 1) return run.code;
  const text = [result?.error?.message ?? '', ...(result?.error?.details ?? [])].join('\n');
  if (azureRequests(run.requests).length > 0) {
    // Azure was asked, so the tool's own validator must have accepted this preset.
    await expect(
      loadPreset(file),
      `${context}\nAzure was called for a preset that doesn't validate`,
    ).resolves.toBeDefined();
  } else if (expectField) {
    expect(
      expectField.some((field) => text.includes(field)),
      `${context}\nexpected one of ${expectField.join(' | ')}`,
    ).toBe(true);
  } else {
    // Some field (or the document itself) is named with a line/column or a path.
    expect(text, context).toMatch(/(\(preset\)|line \d+|^[A-Za-z_][\w-]*(\.|\[|:))/m);
  }
  return run.code;
}

/** The mutated path and its ancestors, formatted as the tool prints them. */
function fieldNames(path: readonly (string | number)[]): string[] {
  const names: string[] = [];
  for (let i = path.length; i >= 1; i--) names.push(formatPath(path.slice(0, i)));
  return names;
}

describe('hostile presets', () => {
  it('accepts the shipped preset with a UTF-8 BOM and CRLF line ends', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(validYaml.replace(/\n/g, '\r\n'))]);
    expect(await planOn(bytes, 'BOM + CRLF')).toBe(2);
  });

  it('a single mutation of a valid preset: exit 1 names the field, or the preset is valid', async () => {
    const codes: number[] = [];
    await fc.assert(
      fc.asyncProperty(mutationArb(base), async (mutation) => {
        const doc = structuredClone(base);
        mutation.apply(doc);
        codes.push(
          await planOn(Buffer.from(stringify(doc)), mutation.describe, [
            ...fieldNames(mutation.path),
            'secrets.',
            'network.',
            'cluster.',
            'csi.',
            'identity.',
          ]),
        );
      }),
      { numRuns: 60, seed: Number(process.env.FC_SEED ?? 9) },
    );
    // Both halves of the contract were exercised: rejected presets and ones that reached Azure.
    expect(codes.filter((c) => c === 1).length).toBeGreaterThan(10);
    expect(codes.filter((c) => c !== 1).length).toBeGreaterThan(0);
  });

  it('documents that are not presets: odd bytes, encodings, truncation, 1 MB lines, alias bombs', async () => {
    await fc.assert(
      fc.asyncProperty(oddDocumentArb(validYaml), async ({ describe: what, bytes }) => {
        await planOn(bytes, what);
      }),
      { numRuns: 30, seed: Number(process.env.FC_SEED ?? 9) },
    );
  });
});
