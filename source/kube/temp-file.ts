/**
 * Values for helm go in a 0600 file inside a fresh 0700 directory and are removed
 * afterwards, also when the command fails (never a secret on argv, and no
 * temp file left behind).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function withTempFile<T>(
  name: string,
  contents: string,
  use: (path: string) => Promise<T>,
  baseDir: string = tmpdir(),
): Promise<T> {
  const dir = await mkdtemp(join(baseDir, 'feathr-kv-setup-'));
  try {
    const path = join(dir, name);
    // `flag: 'wx'` plus mode 0600: created fresh, readable by this user only.
    await writeFile(path, contents, { mode: 0o600, flag: 'wx' });
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
