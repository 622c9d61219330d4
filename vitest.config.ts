import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 300_000,
    hookTimeout: 600_000,
    // Two cores here: more workers only thrash.
    maxWorkers: 2,
    // expect.poll waits for the UI or a job; 1 s (the default) is too short on two busy cores.
    expect: { poll: { timeout: 15_000 } },
  },
});
