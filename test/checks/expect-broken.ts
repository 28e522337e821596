/**
 * The broken-world assertion: `check` in text and in `--output json` exits 1, each
 * named check fails with its cause and its exact fix, the text table prints the fix under the
 * cause, and no secret value appears anywhere.
 */
import { expect } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import type { InstalledWorld } from './installed-world.js';

export interface JsonEvent {
  type: string;
  id?: string;
  status?: string;
  message?: string;
  hint?: string;
  ok?: boolean;
  exitCode?: number;
}

export async function checkBoth(w: InstalledWorld, preset?: string) {
  const text = await runCli(w.checkArgv('text', preset));
  const json = await runCli(w.checkArgv('json', preset));
  const events = json.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as JsonEvent);
  return { text, json, events, failed: events.filter((e) => e.type === 'check.result' && e.status === 'fail') };
}

/** Given a broken world, `check` fails with these checks, and text and JSON both name cause and fix. */
export async function expectBroken(
  w: InstalledWorld,
  expected: { id: string; cause: RegExp; fix: RegExp }[],
  preset?: string,
) {
  const { text, json, events, failed } = await checkBoth(w, preset);
  expect(text.code, text.stdout).toBe(1);
  expect(json.code).toBe(1);
  expect(events.at(-1)).toMatchObject({ type: 'result', ok: false, exitCode: 1 });
  for (const { id, cause, fix } of expected) {
    const event = failed.find((e) => e.id === id);
    expect(event, `${id} should fail; failed: ${failed.map((e) => e.id).join(', ')}`).toBeDefined();
    expect(event!.message).toMatch(cause);
    expect(event!.hint).toMatch(fix);
    const line = text.stdout.split('\n').findIndex((l) => l.startsWith('× ') && cause.test(l));
    expect(line, text.stdout).toBeGreaterThan(-1);
    expect(text.stdout.split('\n')[line + 1]).toMatch(new RegExp(`^    fix: .*${fix.source.replace(/^\^|\$$/g, '')}`));
  }
  expect(text.all + json.all).not.toMatch(/sandbox-conn-str|sandbox-redis-password/);
  return failed.map((e) => e.id);
}
