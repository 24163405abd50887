// ESLint (flat config): typescript-eslint's strict type-checked rules on all TypeScript,
// import order, and the recommended rules on the plain-JavaScript launcher and fixtures.
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import { importX } from 'eslint-plugin-import-x'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'coverage/', 'native/build/', 'results/', 'test/fixtures/bad-input/'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    rules: {
      // Numbers in messages and tables are the point of this program; everything else still has to be a string.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `(text) => out.push(text)`-style callbacks: an arrow's shorthand body is not a returned value to anyone.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Parameters an interface requires but an implementation does not use are named _x (as tsc's noUnusedParameters allows).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    plugins: { 'import-x': importX },
    rules: {
      // Node's modules, then packages, then this project's files; within a group as written.
      'import-x/order': ['error', { groups: ['builtin', 'external', ['internal', 'parent', 'sibling', 'index']], 'newlines-between': 'never' }],
    },
  },
  {
    // A command's main() and a test's stand-in for an async interface (readStdin) are async by
    // contract: their errors must be rejections, not throws, whether or not the body awaits.
    files: ['src/cli/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
)
