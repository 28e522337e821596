/**
 * Bad presets through the real CLI (`plan --preset`, in-process): each exits 1, names the
 * field path, and never echoes a secret. Each case edits the shipped AKS or allowlist preset,
 * so a case tests one mistake and stays valid elsewhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { runCli } from '../cli/run-cli.js';

const CANARY = 'CANARY-s3cr3t-do-not-print';
type Doc = Record<string, any>;

let dir: string;
let aks: Doc;
let eks: Doc;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kv-presets-'));
  aks = parse(await readFile('presets/aks-private-endpoint.yaml', 'utf8'));
  eks = parse(await readFile('presets/other-cloud-allowlist.yaml', 'utf8'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const edit = (base: () => Doc, change: (doc: Doc) => void) => () => {
  const doc = structuredClone(base());
  change(doc);
  return stringify(doc);
};

const cases: { name: string; text: () => string; paths: string[]; file?: string }[] = [
  {
    name: 'bad YAML syntax',
    text: () => 'version: 1\ntarget: azure\nvault:\n  name: a: b\n',
    paths: ['line 4, column 9: Nested mappings'],
  },
  { name: 'tab indentation', text: () => 'version: 1\nvault:\n\tname: x\n', paths: ['line 3'] },
  { name: 'a key given twice', text: () => 'version: 1\nversion: 1\n', paths: ['line 2'] },
  {
    name: 'wrong types',
    text: edit(
      () => aks,
      (d) => {
        d.vault.create = 'yes';
        d.version = 2;
      },
    ),
    paths: ['vault.create: must be a boolean', 'version:'],
  },
  {
    name: 'unknown keys, with a did-you-mean',
    text: edit(
      () => aks,
      (d) => {
        d.vault.permisionModel = 'rbac';
        d.extra = 1;
      },
    ),
    paths: ["vault.permisionModel: isn't a known key — did you mean permissionModel?", "extra: isn't a known key"],
  },
  {
    name: 'a private allowlist entry',
    text: edit(
      () => eks,
      (d) => {
        d.network.allowedIps = ['10.1.2.3', '192.168.0.0/16'];
      },
    ),
    paths: ['network.allowedIps[0]: is private (RFC 1918)', 'network.allowedIps[1]: is private'],
  },
  {
    name: 'an IPv6 allowlist entry',
    text: edit(
      () => eks,
      (d) => {
        d.network.allowedIps = ['2001:db8::1'];
      },
    ),
    paths: ['network.allowedIps[0]: is an IPv6 address'],
  },
  {
    name: '0.0.0.0/0 in the allowlist',
    text: edit(
      () => eks,
      (d) => {
        d.network.allowedIps = ['0.0.0.0/0'];
      },
    ),
    paths: ['network.allowedIps[0]: opens the vault to the whole internet'],
  },
  {
    name: 'loopback and link-local entries',
    text: edit(
      () => eks,
      (d) => {
        d.network.allowedIps = ['127.0.0.1', '169.254.169.254'];
      },
    ),
    paths: ['network.allowedIps[0]: is loopback', 'network.allowedIps[1]: is link-local'],
  },
  {
    name: 'a CIDR that covers private space',
    text: edit(
      () => eks,
      (d) => {
        d.network.allowedIps = ['8.0.0.0/5'];
      },
    ),
    paths: ['network.allowedIps[0]: is private'],
  },
  {
    name: 'a vault name with --, a digit first and too long',
    text: edit(
      () => aks,
      (d) => {
        d.vault.name = '1feathr--kv-much-too-long-name';
      },
    ),
    paths: ['vault.name: is 30 characters long', 'must start with a letter', "can't contain two hyphens"],
  },
  {
    name: 'a monitor schedule that is not cron',
    text: edit(
      () => aks,
      (d) => {
        d.feathr.monitor = { enabled: true, schedule: 'every 5 minutes', extra: 1 };
      },
    ),
    paths: [
      'feathr.monitor.schedule: must be a cron schedule with five fields',
      "feathr.monitor.extra: isn't a known key",
    ],
  },
  {
    name: 'a vault name with an underscore',
    text: edit(
      () => aks,
      (d) => {
        d.vault.name = 'feathr_kv';
      },
    ),
    paths: ["vault.name: has '_'", 'try feathr-kv'],
  },
  {
    name: 'colliding secret renames',
    text: edit(
      () => aks,
      (d) => {
        d.secrets.rename = { CONN_STR: 'conn-str-x', conn_str: 'CONN-STR-X' };
      },
    ),
    paths: ['secrets.rename: 2 names collide', 'CONN_STR → conn-str-x', 'conn_str → CONN-STR-X'],
  },
  {
    name: 'env source names colliding',
    text: edit(
      () => aks,
      (d) => {
        d.secrets.sources.push({ env: ['CONN_STR', 'conn_str'] });
      },
    ),
    paths: ['secrets.sources: 2 names collide'],
  },
  {
    name: 'an invalid rename target',
    text: edit(
      () => aks,
      (d) => {
        d.secrets.rename = { 'FOO.BAR': 'foo.bar' };
      },
    ),
    paths: ['secrets.rename["FOO.BAR"]:'],
  },
  {
    name: 'a client secret pasted into the preset',
    text: edit(
      () => eks,
      (d) => {
        d.identity.servicePrincipal.clientSecret = CANARY;
      },
    ),
    paths: ['identity.servicePrincipal.clientSecret: looks like a secret value', 'name it with clientSecretEnv'],
  },
  {
    name: 'secret values under secrets',
    text: edit(
      () => aks,
      (d) => {
        d.secrets.values = { CONN_STR: CANARY };
        d.feathr.values.redis = { password: CANARY };
      },
    ),
    paths: ['secrets.values: looks like a secret value', 'feathr.values.redis.password: looks like a secret value'],
  },
  {
    name: 'a secret pasted where an env var name goes',
    text: edit(
      () => eks,
      (d) => {
        d.identity.servicePrincipal.clientSecretEnv = `${CANARY}~x`;
        d.secrets.sources.push({ env: [`${CANARY}!`] });
      },
    ),
    paths: [
      'identity.servicePrincipal.clientSecretEnv: must be an environment variable name',
      'secrets.sources[1].env[0]:',
    ],
  },
  {
    name: 'azure without its private endpoint and AKS cluster',
    text: edit(
      () => aks,
      (d) => {
        delete d.network.privateEndpoint;
        delete d.cluster.aks;
      },
    ),
    paths: [
      'network.privateEndpoint: is required when target is azure',
      'cluster.aks: is required when target is azure',
    ],
  },
  {
    name: 'other-cloud without an allowlist, with AKS-only parts',
    text: edit(
      () => eks,
      (d) => {
        delete d.network.allowedIps;
        d.csi.install = 'aks-addon';
        d.identity = { mode: 'aks-addon' };
      },
    ),
    paths: [
      'network.allowedIps: needs at least one entry',
      'csi.install: aks-addon exists only on AKS',
      'identity.mode: aks-addon',
    ],
  },
  {
    name: 'workload identity without its block and issuer',
    text: edit(
      () => eks,
      (d) => {
        d.identity = { mode: 'workload-identity' };
      },
    ),
    paths: ['identity.workloadIdentity: is required', 'cluster.oidcIssuer: is required'],
  },
  {
    name: 'a source with two kinds and a bad poll interval',
    text: edit(
      () => aks,
      (d) => {
        d.secrets.sources = [{ env: ['A'], envFile: './a.env' }];
        d.csi.rotation.pollInterval = 'often';
      },
    ),
    paths: ['secrets.sources[0]: names envFile and env in one entry', 'csi.rotation.pollInterval: must be a duration'],
  },
  {
    name: 'a missing .env file (relative to the preset)',
    text: edit(
      () => aks,
      (d) => {
        d.secrets.sources = [{ envFile: './nope.env' }];
      },
    ),
    paths: ["secrets.sources[0].envFile: Can't find the env file", '/nope.env'],
  },
  {
    name: 'a JSON preset with errors',
    file: 'bad.json',
    text: () => JSON.stringify({ version: 1, target: 'mars' }),
    paths: ['target: isn\'t an allowed value (got "mars") — use one of: azure, other-cloud', 'azure: is required'],
  },
  { name: 'not a mapping', text: () => '- just\n- a list\n', paths: ['(preset): must be a mapping'] },
];

describe('plan --preset with a bad preset', () => {
  it.each(cases)('$name: exit 1 naming $paths', async ({ name, text, paths, file }) => {
    const path = join(dir, file ?? `${name.replace(/\W+/g, '-')}.yaml`);
    await writeFile(path, text());
    const run = await runCli(['plan', '--preset', path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`The preset ${path} has`);
    for (const expected of paths) expect(run.stderr).toContain(expected);
    expect(run.all).not.toContain(CANARY);
    expect(run.all).not.toContain("isn't available yet");
  });

  it('reports every problem at once, one line each, in JSON too', async () => {
    const path = join(dir, 'many.yaml');
    await writeFile(
      path,
      edit(
        () => eks,
        (d) => {
          d.vault.name = 'x';
          d.network.allowedIps = ['10.0.0.1'];
          d.identity.servicePrincipal.clientSecret = CANARY;
          d.bogus = true;
        },
      )(),
    );
    const run = await runCli(['plan', '--preset', path, '--output', 'json']);
    expect(run.code).toBe(1);
    const last = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ type: 'result', ok: false, exitCode: 1 });
    expect(last.error.details).toHaveLength(4);
    expect(run.all).not.toContain(CANARY);
  });
});
