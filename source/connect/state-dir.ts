/**
 * The throwaway state folder of an in-process sandbox run: that world ends with the run, so a
 * record of what was written to it would only be litter in the user's state folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayDir {
  path: string;
  remove(): Promise<void>;
}

export async function throwawayStateDir(): Promise<ThrowawayDir> {
  const path = await mkdtemp(join(tmpdir(), 'feathr-kv-sandbox-state-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
