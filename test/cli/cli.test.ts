import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { runCli } from './run-cli.js';
import { testTempDir } from '../helpers/temp-dir.js';

const ANSI = /\u001B\[/;

describe('the command-line contract', () => {
  it('--help lists every command', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const word of [
      'plan',
      'check',
      'secrets',
      'sandbox',
      'uninstall',
      '--preset',
      '--yes',
      '--dry-run',
      '--output',
      '--save-preset',
      '--log-file',
      '--kube-context',
      '--sandbox-url',
      '--sandbox-ca',
      '--version',
    ]) {
      expect(run.stdout).toContain(word);
    }
    expect(run.stdout).toMatch(/uninstall[^\n]*\n?[^\n]*remove what the tool created/);
    expect(run.stdout).toContain('130');
    const map = await runCli(['secrets', 'map', '--help']);
    expect(map.stdout).toContain('--env-file');
    const serve = await runCli(['sandbox', 'serve', '--help']);
    for (const flag of ['--port', '--world', '--faults', '--latency']) expect(serve.stdout).toContain(flag);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(await readFile('package.json', 'utf8'));
    const run = await runCli(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('without a TTY and without --preset, exits 1 at once naming every missing input', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(1);
    for (const name of [
      'target',
      'azure.subscriptionId',
      'azure.resourceGroup',
      'azure.location',
      'vault.name',
      'cluster.kubeContext',
      'csi.install',
      'identity.mode',
      'secrets.sources',
    ]) {
      expect(run.stderr).toContain(`missing: ${name}\n`);
    }
    const withContext = await runCli(['--kube-context', 'feathr-aks']);
    expect(withContext.stderr).not.toContain('missing: cluster.kubeContext');
  });

  it('check without --preset exits 1 at once saying which preset to pass', async () => {
    const run = await runCli(['check'], { tty: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("check needs the install's settings");
    expect(run.stderr).toContain('--save-preset');
  });

  it('preset mode without a TTY stops before anything, saying --yes is needed', async () => {
    const noYes = await runCli(['--preset', 'presets/aks-private-endpoint.yaml']);
    expect(noYes.code).toBe(1);
    expect(noYes.stderr).toContain('Add --yes');
  });

  it('--output json prints NDJSON whose last line is the result, with no ANSI even on a TTY', async () => {
    for (const argv of [['uninstall', '--preset', 'presets/other-cloud-allowlist.yaml'], ['--bogus'], []]) {
      const run = await runCli([...argv, '--output', 'json'], { tty: true, env: {} });
      expect(run.code).toBe(1);
      expect(run.stdout).not.toMatch(ANSI);
      const lines = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines.at(-1)).toMatchObject({ type: 'result', ok: false, exitCode: 1 });
    }
  });

  it('colours a TTY, and NO_COLOR turns that off', async () => {
    expect(
      (await runCli(['uninstall', '--preset', 'presets/aks-private-endpoint.yaml'], { tty: true, env: {} })).stderr,
    ).toMatch(ANSI);
    expect(
      (
        await runCli(['uninstall', '--preset', 'presets/aks-private-endpoint.yaml'], {
          tty: true,
          env: { NO_COLOR: '1' },
        })
      ).stderr,
    ).not.toMatch(ANSI);
  });

  it('usage errors exit 1 with the help hint', async () => {
    for (const argv of [
      ['plan'],
      ['frobnicate'],
      ['--output', 'xml'],
      ['plan', '--preset', 'x', '--sandbox', '--sandbox-url', 'https://127.0.0.1:1'],
    ]) {
      const run = await runCli(argv);
      expect(run.code, argv.join(' ')).toBe(1);
      expect(run.stderr).toContain('--help');
    }
    const half = await runCli([
      'uninstall',
      '--preset',
      'presets/aks-private-endpoint.yaml',
      '--sandbox-url',
      'https://127.0.0.1:1',
    ]);
    expect(half.stderr).toContain('--sandbox-url and --sandbox-ca go together');
  });

  it('an unknown word where a command goes: the list of commands and the nearest one', async () => {
    const cases: [string, RegExp][] = [
      [
        'instal',
        /The install is the command with no name: feathr-kv-setup \(guided\) or feathr-kv-setup --preset FILE --yes/,
      ],
      ['chek', /Did you mean check\?/],
      ['plann', /Did you mean plan\?/],
      ['zzzzzz', /Run feathr-kv-setup --help/],
    ];
    for (const [word, hint] of cases) {
      const run = await runCli([word]);
      expect(run.code, word).toBe(1);
      expect(run.stderr).toContain(
        `"${word}" isn't a command. The commands are: plan, check, secrets map, sandbox serve, uninstall.`,
      );
      expect(run.stderr).toMatch(hint);
      expect(run.stderr).not.toContain('Too many arguments');
    }
  });

  it('a preset without target says target is required, with its values', async () => {
    const dir = testTempDir('kv-target-');
    await writeFile(join(dir, 'p.yaml'), 'version: 1\n');
    const run = await runCli(['plan', '--preset', 'p.yaml'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('target: is required — add target: one of azure, other-cloud');
    expect(run.stderr).not.toContain("isn't an allowed value");
  });

  it('sandbox serve on a port in use says so, without calling it a bug', async () => {
    const { createServer } = await import('node:net');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const run = await runCli(['sandbox', 'serve', '--port', String(port)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(run.stderr).toContain('--port 0');
      expect(run.stderr).not.toMatch(/bug|unexpected/i);
    } finally {
      busy.close();
    }
  });

  it('--save-preset in preset mode saves the effective preset (flags folded in); plan, check and uninstall do not offer it', async () => {
    const dir = testTempDir('kv-save-');
    await writeFile(join(dir, 'a.env'), 'CONN_STR=x\n');
    const source = parse(await readFile('presets/other-cloud-workload-identity.yaml', 'utf8'));
    source.secrets.sources = [{ envFile: './a.env' }];
    await writeFile(join(dir, 'in.yaml'), stringify(source));
    await mkdir(join(dir, 'out'));
    const run = await runCli(
      [
        '--preset',
        'in.yaml',
        '--kube-context',
        'other-context',
        '--save-preset',
        'out/saved.yaml',
        '--dry-run',
        '--output',
        'json',
      ],
      { cwd: dir },
    );
    const saved = parse(await readFile(join(dir, 'out', 'saved.yaml'), 'utf8').catch(() => ''));
    expect(saved?.cluster?.kubeContext, run.all).toBe('other-context');
    expect(saved.secrets.sources).toEqual([{ envFile: '../a.env' }]);
    expect(saved.vault.name).toBe(source.vault.name);
    for (const command of [['plan'], ['check'], ['uninstall']]) {
      const help = await runCli([...command, '--help']);
      expect(help.stdout, command[0]).not.toContain('--save-preset');
    }
    expect((await runCli(['plan', '--preset', 'in.yaml', '--save-preset', 'x.yaml'], { cwd: dir })).stderr).toContain(
      "Unknown option '--save-preset'",
    );
  });

  it('uninstall --delete-vault without a terminal refuses before any change', async () => {
    const run = await runCli([
      'uninstall',
      '--preset',
      'presets/other-cloud-workload-identity.yaml',
      '--sandbox',
      '--delete-vault',
      '--yes',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "--delete-vault needs you to type the vault name feathr-kv-eks-wi, and there's no terminal to type it on: nothing was changed.",
    );
  });
});

describe('secrets map', () => {
  let dir: string;
  const canaries = Array.from({ length: 9 }, (_, i) => `Canary${i}Value-zq${i}x`);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kv-map-'));
    const bad = ['CONN_STR', 'conn_str', 'A__B', 'FOO.BAR', 'L'.repeat(128), 'ÜBER'].map(
      (name, i) => `${name}=${canaries[i]}`,
    );
    await writeFile(join(dir, 'bad.env'), `${bad.join('\n')}\n`);
    const feathr = [
      'FEATHRCI_HOST',
      'FEATHRCI_PASS',
      'FEATHRCI_TABLE',
      'IPGEOLOCATION_APIKEY',
      'CONN_STR',
      'COSMOS_ACCOUNT',
      'COSMOS_API_KEY',
      'COSMOS_DATABASE',
    ];
    await writeFile(join(dir, 'feathr.env'), feathr.map((name, i) => `${name}="${canaries[i]}"`).join('\n'));
    await writeFile(join(dir, 'partial.env'), `CONN_STR=${canaries[0]}\n`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const noValues = (text: string) => {
    for (const canary of canaries) expect(text).not.toContain(canary);
  };

  it('reports every problem of a bad .env and exits 1', async () => {
    const run = await runCli(['secrets', 'map', '--env-file', 'bad.env'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '2 names collide in Key Vault, which compares names ignoring case: CONN_STR → CONN-STR (from .env bad.env), conn_str → conn-str (from .env bad.env)',
    );
    expect(run.stderr).toContain("FOO.BAR (from .env bad.env) has '.', which an environment variable name can't hold");
    expect(run.stderr).toContain('rename it in its source, e.g. to FOO_BAR');
    expect(run.stderr).toContain('is 128 characters long; Key Vault allows at most 127');
    expect(run.stderr).toContain("ÜBER (from .env bad.env) has 'Ü'");
    expect(run.stderr).toContain('e.g. to UBER');
    expect(run.stdout).toContain('A__B → A--B');
    noValues(run.all);
  });

  it('maps a clean Feathr .env, exit 0, no values anywhere', async () => {
    const run = await runCli(['secrets', 'map', '--env-file', 'feathr.env'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/CONN_STR\s+→ CONN-STR\s+\.env feathr\.env/);
    expect(run.stdout).toMatch(/COSMOS_API_KEY\s+→ COSMOS-API-KEY/);
    expect(run.stderr).toBe('');
    noValues(run.all);
  });

  it('warns about missing Feathr variables (exit 0) and applies --rename, in JSON', async () => {
    const run = await runCli(
      ['secrets', 'map', '--env-file', 'partial.env', '--rename', 'CONN_STR=feathr-conn', '--output', 'json'],
      { cwd: dir },
    );
    expect(run.code).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events[0]).toMatchObject({ type: 'log', level: 'warn' });
    expect(events[0].message).toContain('FEATHRCI_HOST');
    expect(events.at(-1)).toMatchObject({
      type: 'result',
      ok: true,
      mapping: [{ env: 'CONN_STR', vaultName: 'feathr-conn', renamed: true }],
    });
    expect(events.at(-1).missingFeathrVariables).toHaveLength(7);
    noValues(run.all);
  });

  it('refuses a malformed --rename and a missing file', async () => {
    expect(
      (await runCli(['secrets', 'map', '--env-file', 'feathr.env', '--rename', 'NOPE'], { cwd: dir })).stderr,
    ).toContain('--rename takes NAME=VAULT-NAME');
    const missing = await runCli(['secrets', 'map', '--env-file', 'nope.env'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Can't find the env file");
  });
});
