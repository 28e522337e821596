/**
 * `npm test`: the type check and the test suite side by side. `tsc` takes a core for a few
 * seconds (about 17 from scratch); one after the other, the suite waited for it. It runs at the
 * lowest priority, so it takes the cores when the suite leaves them idle (its workers waiting on
 * timers and child processes) instead of slowing the suite, which is bound by CPU. The run fails
 * when either fails; the type errors print after the suite's report. Arguments go to `vitest
 * run` (e.g. `npm test -- test/cli`).
 */
import { setPriority } from 'node:os';
import { execa } from 'execa';

const typecheck = execa('tsc', ['-p', '.'], { preferLocal: true, reject: false, all: true });
try {
  if (typecheck.pid !== undefined) setPriority(typecheck.pid, 19);
} catch {
  // Already ended (its result says how), or a system that won't lower it: it runs as it is.
}
const suite = await execa('vitest', ['run', ...process.argv.slice(2)], {
  preferLocal: true,
  reject: false,
  stdio: 'inherit',
});
const types = await typecheck;
if (types.exitCode !== 0) process.stderr.write(`\ntsc -p . failed:\n${types.all || types.message}\n`);
process.exitCode = suite.exitCode !== 0 ? (suite.exitCode ?? 1) : (types.exitCode ?? 1);
