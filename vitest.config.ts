import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Builds the C engine once; without cc or libbsd, one line says the native tests are skipped.
    globalSetup: ['test/native/notice.ts'],
  },
})
