import { mkdtempSync, statfsSync } from 'node:fs';
import { join } from 'node:path';

/** statfs(2)'s f_type for tmpfs (linux/magic.h). */
export const TMPFS_MAGIC = 0x01021994;
/** A run's scratch files peak at about 70 MB; a small /dev/shm (a container's 64 MB) is left alone. */
export const MIN_FREE_BYTES = 512 * 1024 ** 2;
const SHM = '/dev/shm';

/**
 * The folder the tests' scratch files go in, as TMPDIR: a new one in memory (/dev/shm) on Linux
 * when it is tmpfs with room, else undefined (the system's temp folder stays).
 *
 * Why: a run creates and deletes tens of thousands of small files (each CLI run's temp folder,
 * kubectl's and Helm's caches, kubeconfigs, presets). On an ext4 file system without a journal,
 * as on this project's test machines, allocating an inode skips every inode of its group deleted
 * in the last minute (six, while its table block is unwritten), reading each one's table block to
 * know (Linux's fs/ext4/ialloc.c, recently_deleted). With that churn the scan took about 6 % of
 * all CPU during a run (perf: find_inode_bit, recently_deleted); tmpfs has no such scan. A
 * TMPDIR the caller set is theirs and is kept.
 */
export function makeScratchRoot(
  env: NodeJS.ProcessEnv = process.env,
  shm = SHM,
  minFreeBytes = MIN_FREE_BYTES,
): string | undefined {
  if (env.TMPDIR || process.platform !== 'linux') return undefined;
  try {
    const fs = statfsSync(shm);
    if (fs.type !== TMPFS_MAGIC || fs.bavail * fs.bsize < minFreeBytes) return undefined;
    return mkdtempSync(join(shm, 'feathr-kv-setup-tests-'));
  } catch {
    // No /dev/shm, or not writable for this user: the system's temp folder it is.
    return undefined;
  }
}
