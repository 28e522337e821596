/**
 * What a binary says about itself (`kubectl version --client`, `helm version`) depends on
 * nothing but the file: the answer is kept for the life of the process, keyed by the file's
 * path and identity (inode, size, modification time), so a binary replaced in place is asked
 * again. Each run used to ask once per adapter, which is several processes per command and
 * most of a second per preset run on a small machine. Failures aren't kept.
 */
import { stat } from 'node:fs/promises';
import { runTool, type ToolBinary, type ToolRun } from './run-tool.js';

const kept = new Map<string, Promise<ToolRun>>();

async function identity(file: string): Promise<string | undefined> {
  // A bare name (not found on PATH) has no file to key on: such a run is never kept.
  if (!file.includes('/')) return undefined;
  const info = await stat(file).catch(() => undefined);
  return info ? `${info.ino}:${info.size}:${info.mtimeMs}` : undefined;
}

/** `binary args` with no cluster and no input, answered once per binary file and process. */
export async function askBinary(binary: ToolBinary, args: readonly string[]): Promise<ToolRun> {
  const id = await identity(binary.path);
  if (!id) return runTool(binary, args);
  const key = JSON.stringify([binary.path, id, args]);
  let answer = kept.get(key);
  if (!answer) {
    answer = runTool(binary, args);
    kept.set(key, answer);
    answer.catch(() => kept.delete(key));
  }
  return answer;
}
