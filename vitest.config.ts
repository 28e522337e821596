import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/setup/global-setup.ts'],
    setupFiles: ['test/setup/worker-state.ts'],
    environment: 'node',
    // Colour codes would make frame assertions depend on the CI's terminal (FORCE_COLOR);
    // loopback must never go through a proxy (an HTTPS_PROXY would swallow 127.0.0.1 requests).
    // CI=false: with CI set, ink (is-in-ci) writes its last output again at unmount, and in
    // ink-testing-library's debug mode that output is empty, so the final frame of a finished
    // wizard reads as blank; the pty tests' CLI children would also render no live frames.
    // The kubectl and helm the tests start live a fraction of a second: GOGC=off spares Go's
    // collector (memory the exit frees anyway), GOMAXPROCS=1 its extra threads on cores that the
    // other workers keep busy; together about a sixth of their CPU here. Their message locale is
    // set in test/setup/worker-state.ts instead (it would change the workers' own locale here).
    env: {
      FORCE_COLOR: '0',
      NO_COLOR: '1',
      NO_PROXY: '127.0.0.1,localhost,::1',
      CI: 'false',
      GOGC: 'off',
      GOMAXPROCS: '1',
    },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Files run side by side in child processes (tests set process.env and start child
    // processes of their own). vitest's default is one worker fewer than the cores, which is a
    // single worker on a 2-core machine; a file spends much of its time waiting on sockets,
    // child processes and retry timers, so one worker more than the cores keeps them busy.
    // More than that costs more than it fills: on 2 cores the suite took 254 s with 2
    // workers, 206–220 s with 3 and 218 s with 4 (kubectl and helm, most of its CPU, slow down
    // by a third when they crowd the cores); measured again later, back to back, 189 s with 3
    // and 214 s with 4 (402 s of CPU against 344 s); and in a later session 187 s with 3 against
    // 198 s with 4 (338 s of CPU against 368 s).
    pool: 'forks',
    maxWorkers: availableParallelism() + 1,
    // A worker runs its files one after another in one process instead of a fresh process per
    // file: the Azure SDKs, ink and React load once per worker, not once per file (about a
    // second of CPU each time). No test mocks modules, the source keeps no module-level state,
    // and test/setup/worker-state.ts puts the environment back before every file.
    isolate: false,
  },
});
