/**
 * Reading a file the user named (a preset, a .env file, a pipeline file): one that can't be
 * read is the user's to fix, so it becomes a UserError naming the file and what to do.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../kernel/errors.js';

/** `problem` words the failure from the errno code (ENOENT, EACCES, …; undefined when there is none). */
export async function readUserFile(
  path: string,
  problem: (code: string | undefined) => string,
  hint: string,
): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(problem((error as NodeJS.ErrnoException).code), hint);
  }
}
