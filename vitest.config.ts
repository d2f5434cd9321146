import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/business-clock.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each integration file opens its own embedded database; two workers fit two cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
