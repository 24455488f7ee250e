// Lint: TypeScript + Vue rules, and the import boundaries of docs/ARCHITECTURE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/** Forbid imports that cross an architectural boundary. */
const forbid = (...groups) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: groups.map(([group, message]) => ({ group, message })),
    },
  ],
});

const fromCore = ['**/db/**', '**/server/**', '**/electron/**', '**/renderer/**'];
const serverAndDb = [
  '**/db/**',
  '**/server/**',
  '**/electron/main/**',
  '**/electron/backend/**',
  '**/electron/preload/**',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'test-results/', 'bench-results/', '.data/', 'release/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['core/**'],
    rules: forbid(
      [fromCore, 'core/ is pure: it imports nothing of ours outside core/.'],
      [['fs', 'node:*', 'better-sqlite3', 'kysely', 'fastify'], 'core/ has no I/O.'],
    ),
  },
  {
    files: ['db/**'],
    rules: forbid([['**/server/**', '**/electron/**', '**/renderer/**'], 'db/ may import core/ only.']),
  },
  {
    files: ['server/**'],
    rules: forbid([['**/electron/**', '**/renderer/**'], 'server/ may import core/ and db/ only.']),
  },
  {
    files: ['electron/contract/**'],
    rules: forbid([
      [
        '**/db/**',
        '**/server/**',
        '**/electron/main/**',
        '**/electron/backend/**',
        '**/electron/preload/**',
        '**/renderer/**',
      ],
      'the contract holds types shared by preload, backend and renderer: core types only.',
    ]),
  },
  {
    files: ['electron/main/**'],
    rules: forbid([
      ['**/db/**', '**/server/**', '**/renderer/**', '**/core/**'],
      'main only manages windows and wires the desk backend to IPC: it imports the contract and the backend.',
    ]),
  },
  {
    files: ['electron/preload/**'],
    rules: forbid([
      [
        '**/db/**',
        '**/server/**',
        '**/renderer/**',
        '**/core/**',
        '**/electron/backend/**',
        '**/electron/main/**',
      ],
      'preload exposes typed wrappers over IPC: it imports the contract only.',
    ]),
  },
  {
    files: ['electron/backend/**'],
    rules: forbid([
      ['**/server/**', '**/renderer/**', '**/electron/main/**'],
      'the desk backend uses core/, db/ and the contract.',
    ]),
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: forbid([
      serverAndDb,
      'the renderer never imports db, server or electron code (contract types only).',
    ]),
  },
  {
    files: ['renderer/shared/**'],
    rules: forbid([
      [...serverAndDb, '**/renderer/desk/**', '**/renderer/portal/**', '**/electron/**'],
      'renderer/shared is presentational: core types only.',
    ]),
  },
  prettier,
);
