/**
 * What the adapter reads once and shares within a run, and what a write makes stale: the
 * Readings cache, the write scopes the bound tools count, and a binary's version answer.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Readings } from '../../source/kube/readings.js';
import { bindTools } from '../../source/kube/tool-context.js';
import { askBinary } from '../../source/kube/binary-answers.js';

const dir = mkdtempSync(join(tmpdir(), 'kv-readings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A binary that answers `version` with its own text and counts how often it was started. */
function countingBinary(name: string, answer: string): { path: string; starts: () => number } {
  const path = join(dir, name);
  const log = join(dir, `${name}.starts`);
  writeFileSync(log, '');
  writeFileSync(path, `#!/bin/sh\necho started >> '${log}'\necho '${answer}'\n`);
  chmodSync(path, 0o755);
  return { path, starts: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length };
}

describe('Readings', () => {
  it('shares a reading until a write may have changed it, and hands out copies', async () => {
    let writes = 0;
    const readings = new Readings((key) => (key === 'csi' ? writes : 0));
    let loads = 0;
    const load = async () => ({ loads: ++loads });
    const first = await readings.read('csi', load);
    first.loads = 99;
    expect(await readings.read('csi', load)).toEqual({ loads: 1 });
    expect(await readings.read('csi', load, { fresh: true })).toEqual({ loads: 2 });
    writes += 1;
    expect(await readings.read('csi', load)).toEqual({ loads: 3 });
    expect(await readings.read('csi', load)).toEqual({ loads: 3 });
  });

  it('forgets everything when asked (after an approval, the world may have moved)', async () => {
    const readings = new Readings(() => 0);
    let loads = 0;
    const load = async () => ++loads;
    await readings.read('namespace/feathr', load);
    readings.forgetAll();
    expect(await readings.read('namespace/feathr', load)).toBe(2);
  });

  it('keeps no failed reading', async () => {
    const readings = new Readings(() => 0);
    let calls = 0;
    const flaky = async () => {
      calls += 1;
      if (calls === 1) throw new Error('connection refused');
      return 'ok';
    };
    await expect(readings.read('reachability', flaky)).rejects.toThrow('connection refused');
    expect(await readings.read('reachability', flaky)).toBe('ok');
    expect(calls).toBe(2);
  });
});

describe('bound tools: what a write touches', () => {
  const tool = countingBinary('tool', 'v0');
  const tools = bindTools({ name: 'kubectl', path: tool.path }, { name: 'helm', path: tool.path }, 'ctx');

  it('counts a scoped write against its keys and those below them only; a read against none', async () => {
    await tools.kubectl(['get', 'namespace', 'feathr']);
    expect(tools.writesTo('namespace/feathr')).toBe(0);
    await tools.kubectl(['apply', '--filename', '-'], { input: '{}', touches: ['secret/feathr'] });
    const afterSecret = tools.writesTo('secret/feathr/feathr-online-secret');
    expect(afterSecret).toBeGreaterThan(0);
    expect(tools.writesTo('secret/feathr-legacy/feathr-online-secret')).toBe(0);
    expect(tools.writesTo('namespace/feathr')).toBe(0);
    await tools.kubectl(['create', '--filename', '-'], { input: '{}', touches: [] });
    expect(tools.writesTo('csi')).toBe(0);
    // A write that doesn't say what it touches may have changed anything.
    const upgrade = tools.helm(['upgrade', '--install', 'x', 'chart']);
    // A reading taken while it runs is stale once it ends: the count moves at both ends.
    const during = tools.writesTo('csi');
    expect(during).toBeGreaterThan(0);
    await upgrade;
    expect(tools.writesTo('csi')).toBeGreaterThan(during);
    expect(tools.writesTo('secret/feathr/feathr-online-secret')).toBeGreaterThan(afterSecret);
  });
});

describe("a binary's version answer", () => {
  it('is asked once per file and process, and again once the file is replaced', async () => {
    const helm = countingBinary('helm', 'v3.17.2');
    const binary = { name: 'helm' as const, path: helm.path };
    expect((await askBinary(binary, ['version'])).stdout).toBe('v3.17.2');
    expect((await askBinary(binary, ['version'])).stdout).toBe('v3.17.2');
    expect(helm.starts()).toBe(1);
    // Other arguments are another question.
    await askBinary(binary, ['version', '--short']);
    expect(helm.starts()).toBe(2);
    // Upgraded in place: a new file (another inode and size), a new answer.
    rmSync(helm.path);
    writeFileSync(helm.path, `#!/bin/sh\necho started >> '${join(dir, 'helm.starts')}'\necho 'v4.1.4'\n`);
    chmodSync(helm.path, 0o755);
    expect((await askBinary(binary, ['version'])).stdout).toBe('v4.1.4');
    expect(helm.starts()).toBe(3);
  });
});
