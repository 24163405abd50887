import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // `import … from 'gntbench'` (the public entry, as an outside strategy writes it) is the
  // sources here, as tsconfig.json's paths say for tsc and tsx.
  resolve: { alias: [{ find: /^gntbench$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Builds the C engine once; without cc or libbsd, one line says the native tests are skipped.
    globalSetup: ['test/native/notice.ts'],
  },
})
