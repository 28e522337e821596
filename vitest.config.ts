import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/setup/global-setup.ts'],
    environment: 'node',
    // Colour codes would make frame assertions depend on the CI's terminal (toolchain G5);
    // loopback must never go through a proxy (G12).
    env: { FORCE_COLOR: '0', NO_COLOR: '1', NO_PROXY: '127.0.0.1,localhost,::1' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
