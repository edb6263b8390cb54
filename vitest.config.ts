import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Native addons and onnxruntime sessions are safest in separate processes.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
