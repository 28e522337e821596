/**
 * The real kubectl/helm adapter with recording stand-ins (argv, stdin, files handed over, and
 * the whole child environment): canary secret values given to the adapter travel only on
 * stdin, never in argv, env, temp files or error messages, also when kubectl or helm fails.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { KubectlHelmAdapter } from '../../source/kube/kubectl-helm-adapter.js';
import { findCanaries, makeCanary } from './canaries.js';

const RECORDERS = resolve(import.meta.dirname, 'fixtures/env-recording');
const canaries = { CLIENT_SECRET: makeCanary('clientsecret'), CONN_STR: makeCanary('connstr') };

interface Rule {
  tool?: 'kubectl' | 'helm';
  args?: string[];
  stdout?: unknown;
  stderr?: string;
  exitCode?: number;
}

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kv-leak-child-'));
  mkdirSync(join(root, 'record'));
  mkdirSync(join(root, 'tmp'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function adapter(rules: Rule[]) {
  writeFileSync(
    join(root, 'scenario.json'),
    JSON.stringify({ rules: [{ tool: 'helm', args: ['version'], stdout: 'v3.17.2+gcc0bbbd' }, ...rules] }),
  );
  return KubectlHelmAdapter.create({
    context: 'feathr-eks',
    env: {
      PATH: `${RECORDERS}${delimiter}${process.env.PATH ?? ''}`,
      STANDIN_RECORD_DIR: join(root, 'record'),
      STANDIN_SCENARIO: join(root, 'scenario.json'),
    },
    tempDir: join(root, 'tmp'),
  });
}

/** Everything the children were given except stdin, plus what was left in the temp dir. */
function exposed(): { where: string; text: string }[] {
  const dir = join(root, 'record');
  const out: { where: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('call-')) {
      const call = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
        tool: string;
        argv: string[];
        files: { copy: string }[];
      };
      out.push({ where: `${name} argv`, text: call.argv.join(' ') });
      for (const file of call.files)
        out.push({ where: `${name} file ${file.copy}`, text: readFileSync(file.copy, 'utf8') });
    }
    if (name.startsWith('env-')) out.push({ where: name, text: readFileSync(join(dir, name), 'utf8') });
  }
  for (const name of readdirSync(join(root, 'tmp'))) out.push({ where: `left in temp dir: ${name}`, text: name });
  return out;
}

function stdins(): string {
  const dir = join(root, 'record');
  return readdirSync(dir)
    .filter((n) => n.startsWith('call-'))
    .map((n) => (JSON.parse(readFileSync(join(dir, n), 'utf8')) as { stdin: string }).stdin)
    .join('\n');
}

function leaks(extra: string[] = []): string[] {
  return [...exposed(), ...extra.map((text, i) => ({ where: `error ${i}`, text }))].flatMap(({ where, text }) =>
    findCanaries(text, canaries).map((found) => `${where}: ${found}`),
  );
}

describe('secret values given to kubectl and helm', () => {
  it('applySecret sends the values on stdin only (argv, env, files and temp dir are clean)', async () => {
    const kube = await adapter([]);
    await kube.applySecret(
      'feathr',
      'secrets-store-creds',
      { clientid: 'app-id', clientsecret: canaries.CLIENT_SECRET },
      { 'secrets-store.csi.k8s.io/used': 'true' },
    );
    expect(leaks()).toEqual([]);
    expect(
      readdirSync(join(root, 'record')).some((n) => n.startsWith('env-kubectl-')),
      'the env recorder ran',
    ).toBe(true);
    // Positive control: the value did reach kubectl, on stdin.
    expect(findCanaries(stdins(), canaries)).toContain('CLIENT_SECRET (base64)');
  });

  it('a failing kubectl apply of a Secret: the error names the command, never the value', async () => {
    const kube = await adapter([
      {
        tool: 'kubectl',
        args: ['apply'],
        exitCode: 1,
        stderr:
          'Error from server (Forbidden): error when creating "STDIN": secrets "secrets-store-creds" is forbidden: User "dev" cannot create resource "secrets" in API group "" in the namespace "feathr"\n',
      },
    ]);
    const error = await kube
      .applySecret('feathr', 'secrets-store-creds', { clientsecret: canaries.CLIENT_SECRET }, {})
      .then(
        () => undefined,
        (e: unknown) => e as Error & { args?: string[]; stderr?: string },
      );
    expect(error?.message).toMatch(/kubectl apply/);
    expect(
      leaks([error?.message ?? '', JSON.stringify(error?.args ?? []), error?.stderr ?? '', String(error?.stack ?? '')]),
    ).toEqual([]);
  });

  it('readSecret decodes values without passing them anywhere', async () => {
    const data = { CONN_STR: Buffer.from(canaries.CONN_STR).toString('base64') };
    const kube = await adapter([
      {
        tool: 'kubectl',
        args: ['get'],
        stdout: { kind: 'Secret', metadata: { name: 'feathr-online-secret', namespace: 'legacy' }, data },
      },
    ]);
    expect(await kube.readSecret('legacy', 'feathr-online-secret')).toEqual({ CONN_STR: canaries.CONN_STR });
    expect(leaks()).toEqual([]);
  });

  it('a failing helm install leaves no values file behind and no secret in its error', async () => {
    const kube = await adapter([
      { tool: 'helm', args: ['status'], exitCode: 1, stderr: 'Error: release: not found\n' },
      { tool: 'helm', args: ['upgrade'], exitCode: 1, stderr: 'Error: UPGRADE FAILED: context deadline exceeded\n' },
    ]);
    const error = await kube
      .helmUpgradeInstall({
        release: 'feathr-online',
        namespace: 'feathr',
        chart: 'charts/feathr-online',
        values: {
          keyVault: { name: 'feathr-kv', tenantId: 't' },
          secrets: [{ env: 'CONN_STR', vaultName: 'CONN-STR' }],
        },
        wait: true,
        timeoutSeconds: 5,
      })
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(error?.message).toMatch(/helm/);
    expect(leaks([error?.message ?? ''])).toEqual([]);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });
});
