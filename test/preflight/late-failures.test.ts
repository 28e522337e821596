/**
 * Every input a later step would refuse is refused before the first write. Each case below is
 * a failure that used to show up only after the vault, identity, roles, firewall and CSI driver
 * were made; now the run ends with exit 1 in preflight (or at the preset check), names the
 * field and the fix, and the sandbox's own request log (GET /_sandbox/requests) holds zero
 * writes. Then the same preset with the fix applies with exit 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { resultEvent, startSandboxCli, type SandboxCli } from '../hostile/sandbox-cli.js';

let cli: SandboxCli;
let allowlist: Record<string, any>;
let wi: Record<string, any>;
let aks: Record<string, any>;
let seq = 0;
const SP_ENV = { FEATHR_SP_SECRET: 'sandbox-feathr-sp-secret' };

beforeAll(async () => {
  cli = await startSandboxCli();
  allowlist = parse(await readFile('presets/other-cloud-allowlist.yaml', 'utf8'));
  wi = parse(await readFile('presets/other-cloud-workload-identity.yaml', 'utf8'));
  aks = parse(await readFile('presets/aks-private-endpoint.yaml', 'utf8'));
}, 60_000);
afterAll(async () => cli?.close());

/** The sandbox's request log over HTTPS, as any client would read it. */
async function sandboxWrites(): Promise<{ method: string; path: string }[]> {
  const ca = await readFile(join(cli.dir, 'sandbox-ca.pem'));
  const body = await new Promise<string>((resolve, reject) => {
    const req = request(`${cli.sandbox.url}/_sandbox/requests`, { ca, headers: { authorization: `Bearer ${cli.sandbox.tokenFor(cli.sandbox.state.operatorId)}` } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end();
  });
  return (JSON.parse(body) as { requests: { method: string; path: string; write: boolean }[] }).requests.filter((r) => r.write);
}

async function presetFile(doc: Record<string, any>, files: Record<string, string> = {}): Promise<string> {
  const name = `case-${++seq}`;
  for (const [file, text] of Object.entries(files)) await writeFile(join(cli.dir, `${name}-${file}`), text);
  const fixed = JSON.parse(JSON.stringify(doc).replaceAll('@FILE@', `./${name}-`));
  const path = join(cli.dir, `${name}.yaml`);
  await writeFile(path, stringify(fixed));
  return path;
}

interface LateCase {
  name: string;
  bad: () => Promise<string>;
  env?: Record<string, string>;
  /** What the message must name: the field, and the fix. */
  says: RegExp[];
  fixed: () => Promise<string>;
  fixedEnv?: Record<string, string>;
}

const withSecrets = (doc: Record<string, any>, secrets: Record<string, any>) => ({ ...doc, secrets });
const envFile = (extra: Record<string, any> = {}) => ({ sources: [{ envFile: '@FILE@feathr.env' }], ...extra });

const cases: LateCase[] = [
  {
    name: 'FOO.BAR renamed with --rename-style secrets.rename (a name no shell can read)',
    bad: () => presetFile(withSecrets(wi, envFile({ rename: { 'FOO.BAR': 'FOO-BAR' } })), { 'feathr.env': 'FOO.BAR=v1\nCONN_STR=v2\n' }),
    says: [/FOO\.BAR/, /environment variable name/, /FOO_BAR/],
    fixed: () => presetFile(withSecrets(wi, envFile()), { 'feathr.env': 'FOO_BAR=v1\nCONN_STR=v2\n' }),
  },
  {
    name: 'conn-str next to CONN_STR, renamed in the vault as the collision fix',
    bad: () => presetFile(withSecrets(wi, envFile({ rename: { 'conn-str': 'CONN-STR-2' } })), { 'feathr.env': 'CONN_STR=v1\nconn-str=v2\n' }),
    says: [/conn-str/, /environment variable name/, /conn_str/],
    fixed: () => presetFile(withSecrets(wi, envFile({ rename: { conn_str: 'CONN-STR-2' } })), { 'feathr.env': 'CONN_STR=v1\nconn_str=v2\n' }),
  },
  {
    name: 'an empty .env as the only source',
    bad: () => presetFile(withSecrets(wi, envFile()), { 'feathr.env': '' }),
    says: [/secrets\.sources\[0\]\.envFile/, /is empty/, /NAME=value/],
    fixed: () => presetFile(withSecrets(wi, envFile()), { 'feathr.env': 'CONN_STR=v1\n' }),
  },
  {
    name: '"use the installed driver" on a cluster that has none',
    bad: () => presetFile({ ...wi, csi: { ...wi.csi, install: 'existing' } }),
    says: [/csi\.install/, /no Secrets Store CSI driver|isn't installed/i, /csi\.install: helm/],
    fixed: () => presetFile(wi),
  },
  {
    name: 'the service principal secret variable is not set',
    bad: () => presetFile(allowlist),
    env: {},
    says: [/FEATHR_SP_SECRET/, /isn't set|not set/, /identity\.servicePrincipal\.clientSecretEnv/],
    fixed: () => presetFile(allowlist),
    fixedEnv: SP_ENV,
  },
  {
    name: 'Feathr chart values the chart schema refuses',
    bad: () => presetFile({ ...wi, feathr: { ...wi.feathr, values: { replicaCount: 'two' } } }),
    says: [/feathr\.values/, /replicaCount/],
    fixed: () => presetFile({ ...wi, feathr: { ...wi.feathr, values: { replicaCount: 1 } } }),
  },
  {
    name: '"use the installed driver" on AKS with the add-on off',
    bad: () => presetFile({ ...aks, csi: { ...aks.csi, install: 'existing' } }),
    says: [/csi\.install/, /aks-addon|helm/],
    fixed: () => presetFile(aks),
  },
];

describe('late failures end before the first write', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: exit 1 with the field and the fix, zero writes; fixed, it applies', async (_name, c) => {
    const bad = await cli.run(['--preset', await c.bad(), '--yes', '--output', 'json'], c.env ?? SP_ENV);
    const result = resultEvent(bad.stdout);
    const text = [result?.error?.message, ...(result?.error?.details ?? []), result?.error?.hint, bad.stdout].join('\n');
    expect(bad.code, text.slice(-3000)).toBe(1);
    for (const pattern of c.says) expect(text).toMatch(pattern);
    expect(await sandboxWrites()).toEqual([]);

    const good = await cli.run(['--preset', await c.fixed(), '--yes', '--output', 'json'], c.fixedEnv ?? SP_ENV);
    expect(good.code, good.stdout.slice(-3000)).toBe(0);
  }, 120_000);
});
