import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores on CI: training tests are CPU-bound and must not starve each other.
    maxWorkers: 2,
  },
});
