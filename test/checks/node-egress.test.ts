/**
 * The allowlist covers the whole cluster: in a world where feathr-eks has a third node whose
 * egress address (52.14.20.9) the preset doesn't list, the preflight (a warning, from the
 * nodes' published addresses), the setup's in-cluster verify and `check` name that node and
 * its address (a failure: the firewall denies by default), while
 * the probe of the first node alone would have passed. With the address added, both pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEFAULT_WORLD } from '../../source/sandbox/world/default-world.js';
import { startSandboxCli, type SandboxCli } from '../hostile/sandbox-cli.js';

const EXTRA = { name: 'ip-192-168-3-10.ec2.internal', os: 'linux', egressIp: '52.14.20.9' };
let cli: SandboxCli;
let preset: Record<string, any>;

beforeAll(async () => {
  const world = structuredClone(DEFAULT_WORLD) as any;
  world.clusters.find((c: { context: string }) => c.context === 'feathr-eks').nodes.push(EXTRA);
  cli = await startSandboxCli({ world });
  preset = parse(await readFile('presets/other-cloud-workload-identity.yaml', 'utf8'));
}, 60_000);
afterAll(async () => cli?.close());

async function write(name: string, doc: Record<string, any>): Promise<string> {
  const file = join(cli.dir, name);
  await writeFile(file, stringify(doc));
  return file;
}

describe("every node's egress address against the allowlist", () => {
  it('a node left out is named with its address, by the setup verify and by check; listed, both pass', async () => {
    const partial = await write('partial.yaml', preset);
    // Preflight (read-only: the nodes' published addresses) names it before any change.
    const plan = await cli.run(['plan', '--preset', partial]);
    expect(plan.stdout).toContain(
      `‼ every node's public address is in network.allowedIps: node ${EXTRA.name} egresses from ${EXTRA.egressIp}, which network.allowedIps leaves out`,
    );
    expect(plan.requests.filter((r) => r.write)).toEqual([]);
    const setup = await cli.run(['--preset', partial, '--yes']);
    expect(setup.code, setup.all.slice(-2500)).toBe(1);
    expect(setup.all).toContain(`node ${EXTRA.name} egresses from ${EXTRA.egressIp}`);

    const check = await cli.run(['check', '--preset', partial]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(
      new RegExp(
        `× every node's egress address is in the vault's allowlist: node ${EXTRA.name.replaceAll('.', '\\.')} egresses from 52\\.14\\.20\\.9`,
      ),
    );
    expect(check.stdout).toContain('--ip-address 52.14.20.9');
    // The other two nodes' addresses are listed, so they aren't named.
    expect(check.stdout).not.toMatch(/node ip-192-168-1-10\S* egresses/);

    const full = await write('full.yaml', {
      ...preset,
      network: { ...preset.network, allowedIps: [...preset.network.allowedIps, EXTRA.egressIp] },
    });
    const fixed = await cli.run(['--preset', full, '--yes']);
    expect(fixed.code, fixed.all.slice(-2500)).toBe(0);
    const healthy = await cli.run(['check', '--preset', full]);
    expect(healthy.code, healthy.stdout.slice(-2000)).toBe(0);
    expect(healthy.stdout).toMatch(/√ every node's egress address is in the vault's allowlist: 3 nodes probed/);
  }, 180_000);
});
