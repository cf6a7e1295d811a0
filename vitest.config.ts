import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    // CLI tests start real processes; the bundle tests build real courses.
    testTimeout: 60_000,
    // Two cores shared by parallel test files that build, encode and play: a setup hook may wait its turn.
    hookTimeout: 180_000,
  },
});
