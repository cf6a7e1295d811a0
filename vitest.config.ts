import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    // CLI tests start real processes; the bundle tests build real courses.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
