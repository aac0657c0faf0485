import { defineConfig } from 'vitest/config';

// chDB is a process singleton per data directory, so each test file runs in its own process.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
