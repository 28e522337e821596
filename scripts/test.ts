/**
 * `npm test`: the type check and the test suite side by side. `tsc` takes a core for a few
 * seconds while vitest starts its workers; one after the other, the suite waited for it. The
 * run fails when either fails; the type errors print after the suite's report. Arguments go to
 * `vitest run` (e.g. `npm test -- test/cli`).
 */
import { execa } from 'execa';

const typecheck = execa('tsc', ['-p', '.'], { preferLocal: true, reject: false, all: true });
const suite = await execa('vitest', ['run', ...process.argv.slice(2)], {
  preferLocal: true,
  reject: false,
  stdio: 'inherit',
});
const types = await typecheck;
if (types.exitCode !== 0) process.stderr.write(`\ntsc -p . failed:\n${types.all || types.message}\n`);
process.exitCode = suite.exitCode !== 0 ? (suite.exitCode ?? 1) : (types.exitCode ?? 1);
