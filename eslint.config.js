// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'util', 'url', 'stream', 'http', 'https', 'net'];

const CORE_PATHS = [{ name: 'electron', message: 'main/core runs in plain Node (tests, CLI, e2e harness): no electron.' }, 'react', 'react-dom'];
const CORE_PATTERNS = [{ group: ['**/app/**', '**/cli/**', '**/preload/**', '**/renderer/**', '../app', '../cli'], message: 'main/core imports only shared/.' }];

/** The rooms of the house (docs/architecture.md) and what each may import: a rule the linter checks holds. */
const boundary = (files, { paths = [], patterns = [] }) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { paths, patterns }],
  },
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.cache/**', 'coverage/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-nocheck': true, 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // One place opens transactions (docs/architecture.md, "The dispatcher"): every other write runs inside one.
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: ['main/core/dispatcher/transaction.ts', 'main/core/db/migrate.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='transaction']",
          message: 'Open a transaction only through inTransaction (main/core/dispatcher/transaction.ts); the migration runner is the one other place.',
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.{js,mjs}', '.ci/**/*.mjs', '*.config.{js,ts}', 'main/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  boundary(['shared/**/*.ts'], {
    paths: ['electron', 'react', 'react-dom', 'better-sqlite3'].map((name) => ({ name, message: 'shared/ is pure TypeScript for both sides.' })),
    patterns: [
      { group: NODE_BUILTINS, message: 'shared/ runs in the renderer too: no Node built-ins.' },
      { group: ['**/main/**', '**/renderer/**', '../main', '../renderer'], message: 'shared/ may not import from main/ or renderer/.' },
    ],
  }),
  boundary(['main/core/**/*.ts'], {
    paths: CORE_PATHS,
    patterns: [
      ...CORE_PATTERNS,
      {
        group: ['**/dispatcher/transaction'],
        importNames: ['inTransaction'],
        message: 'Handlers and services run inside the dispatcher\'s transaction; only the dispatcher (and the worker, the CLI, the shell) opens one.',
      },
    ],
  }),
  // Who may open a transaction in main/core: the dispatcher itself, the worker (the dispatcher's
  // half in its own thread), and restore, which writes the copy it prepares, not the live database.
  boundary(['main/core/backend.ts', 'main/core/dispatcher/**/*.ts', 'main/core/worker/**/*.ts', 'main/core/backup/restore.ts'], {
    paths: CORE_PATHS,
    patterns: CORE_PATTERNS,
  }),
  boundary(['main/cli/**/*.ts'], {
    paths: [{ name: 'electron', message: 'The CLI runs in plain Node.' }, 'react', 'react-dom'],
    patterns: [{ group: ['**/app/**', '**/preload/**', '**/renderer/**'], message: 'main/cli imports only main/core and shared/.' }],
  }),
  boundary(['main/app/**/*.ts'], {
    paths: ['react', 'react-dom'],
    patterns: [{ group: ['**/cli/**', '**/renderer/**', '**/preload/**'], message: 'main/app imports main/core and shared/.' }],
  }),
  boundary(['main/preload/**/*.ts'], {
    paths: ['react', 'react-dom', 'better-sqlite3'],
    patterns: [
      { group: NODE_BUILTINS, message: 'The preload is sandboxed: no Node built-ins.' },
      { group: ['**/core/**', '**/app/**', '**/cli/**', '**/renderer/**'], message: 'The preload imports only electron and shared/.' },
    ],
  }),
  boundary(['renderer/**/*.{ts,tsx}'], {
    paths: ['electron', 'better-sqlite3'].map((name) => ({ name, message: 'The renderer talks to the back end only through window.api.' })),
    patterns: [
      { group: NODE_BUILTINS, message: 'No Node in the renderer.' },
      { group: ['**/main/**', '../main'], message: 'The renderer imports only shared/ (and talks through window.api).' },
    ],
  }),
);
