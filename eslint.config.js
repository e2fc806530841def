// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'util', 'url', 'stream', 'http', 'https', 'net'];

const CORE_PATHS = [{ name: 'electron', message: 'main/core runs in plain Node (tests, CLI, e2e harness): no electron.' }, 'react', 'react-dom'];
const CORE_PATTERNS = [
  { group: ['**/app/**', '**/cli/**', '**/preload/**', '**/renderer/**', '../app', '../cli'], message: 'main/core imports only shared/.' },
  { group: ['**/hub/**', '../hub'], message: 'A PC reaches the hub only over HTTPS (main/core/sync/transport.ts), never through its code.' },
];
/** PCs never hold the hospital database's credentials: PostgreSQL's client belongs to the hub. */
const NO_PG_ON_PCS = { name: 'pg', message: 'Only the hub (main/hub/) talks to PostgreSQL; a PC talks to the hub over HTTPS.' };

/** The dispatcher's transaction function and the migration runner: the only callers of `.transaction(`. */
const TX_OPENERS = ['main/core/dispatcher/transaction.ts', 'main/core/db/migrate.ts'];
/** Where `db.prepare(` may still be called: the typed statement layer, and the code that opens, migrates and copies database files. */
const RAW_SQL_PLACES = ['main/core/sql/**', 'main/core/db/**', 'main/core/migrations/**', 'main/core/backup/**'];

const TRANSACTION_ONLY_THROUGH_DISPATCHER = {
  selector: "CallExpression[callee.property.name='transaction']",
  message: 'Open a transaction only through inTransaction (main/core/dispatcher/transaction.ts); the migration runner is the one other place.',
};
const NO_ROW_CASTS = {
  selector: "TSAsExpression > CallExpression.expression[callee.property.name=/^(get|all|iterate)$/]",
  message: 'Rows are typed by their query (main/core/sql/query.ts) with the row types of main/core/sql/rows.ts, never cast.',
};
const NO_RAW_STATEMENTS = [
  {
    selector: "CallExpression[callee.property.name='prepare'][callee.object.name='db']",
    message: 'Declare the statement with query()/command() (main/core/sql/query.ts): typed rows, named parameters, one statement cache.',
  },
  {
    selector: "CallExpression[callee.property.name='prepare'][callee.object.property.name='db']",
    message: 'Declare the statement with query()/command() (main/core/sql/query.ts): typed rows, named parameters, one statement cache.',
  },
];

/** Later blocks replace an earlier block's options for the same files, so each repeats the selectors it keeps. */
const restrictedSyntax = (files, selectors, ignores = []) => ({ files, ignores, rules: { 'no-restricted-syntax': ['error', ...selectors] } });

/** The rooms of the house (docs/architecture.md) and what each may import: a rule the linter checks holds. */
const boundary = (files, { paths = [], patterns = [] }) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { paths, patterns }],
  },
});

const RENDERER_PATHS = ['electron', 'better-sqlite3'].map((name) => ({ name, message: 'The renderer talks to the back end only through window.api.' }));
const RENDERER_PATTERNS = [
  { group: NODE_BUILTINS, message: 'No Node in the renderer.' },
  { group: ['**/main/**', '../main'], message: 'The renderer imports only shared/ (and talks through window.api).' },
];

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
  // One place opens transactions, and rows are typed in one place (docs/architecture.md).
  restrictedSyntax(['**/*.{ts,tsx,js,mjs}'], [TRANSACTION_ONLY_THROUGH_DISPATCHER], TX_OPENERS),
  restrictedSyntax(['main/core/**/*.ts', 'main/cli/**/*.ts'], [TRANSACTION_ONLY_THROUGH_DISPATCHER, NO_ROW_CASTS], [...TX_OPENERS, 'main/core/sql/query.ts']),
  restrictedSyntax(['main/core/**/*.ts', 'main/cli/**/*.ts'], [TRANSACTION_ONLY_THROUGH_DISPATCHER, NO_ROW_CASTS, ...NO_RAW_STATEMENTS], [...TX_OPENERS, ...RAW_SQL_PLACES]),
  restrictedSyntax(['main/core/db/migrate.ts'], [NO_ROW_CASTS]),
  {
    files: ['bin/**/*.js', 'scripts/**/*.{js,mjs}', '.ci/**/*.mjs', '*.config.{js,ts}', 'main/**/*.ts', 'test/**/*.ts', 'bench/**/*.{ts,mjs}'],
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
    paths: [...CORE_PATHS, NO_PG_ON_PCS],
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
  // half in its own thread), restore, which writes the copy it prepares, not the live database,
  // and the sync engine, which is the dispatcher of what arrives from the hub (one transaction per
  // batch it applies or check-in it records; it runs in the worker's 'sync' lane or the CLI).
  boundary(['main/core/backend.ts', 'main/core/dispatcher/**/*.ts', 'main/core/worker/**/*.ts', 'main/core/backup/restore.ts', 'main/core/sync/engine.ts'], {
    paths: [...CORE_PATHS, NO_PG_ON_PCS],
    patterns: CORE_PATTERNS,
  }),
  // The hub: plain Node in front of PostgreSQL, no state of its own. It shares the domain's pure
  // code (the audit hash, the sync protocol, the table list, the clock) and nothing that opens a
  // PC's SQLite database; only the CLI's `hub` commands start it.
  boundary(['main/hub/**/*.ts'], {
    paths: [
      { name: 'better-sqlite3', message: "The hub keeps its state in PostgreSQL only; SQLite is a PC's." },
      { name: 'electron', message: 'The hub runs in plain Node on the server.' },
      'react',
      'react-dom',
    ],
    patterns: [
      { group: ['**/app/**', '**/cli/**', '**/preload/**', '**/renderer/**'], message: 'main/hub imports only its own files, shared/ and the pure parts of main/core.' },
      {
        regex: '^\\.\\./core/(?!(audit|ids|sync/(protocol|tables|hlc|ids|signing|change-hash|enrol-code))$)',
        message: "The hub shares only main/core's pure code (audit hashing, ids, the sync protocol, table list, clock, signing); nothing that touches a PC's database.",
      },
    ],
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
    paths: RENDERER_PATHS,
    patterns: RENDERER_PATTERNS,
  }),
  // Inside the renderer: a feature (renderer/src/features/<feature>/, flat) imports only lib/,
  // components/, shared/ and its own files; lib/ and components/ never import a feature or the
  // app's root (App, Shell, routes), so any feature can use them. The root composes the features.
  boundary(['renderer/src/features/**/*.{ts,tsx}'], {
    paths: RENDERER_PATHS,
    patterns: [
      ...RENDERER_PATTERNS,
      { regex: '^\\.\\./(?!\\.\\./)', message: 'A feature imports only its own files, lib/, components/ and shared/: move what two features share to lib/ or components/.' },
      { regex: '^\\.\\./\\.\\./(features|App|Shell|routes|AppOrPrint|main)(/|$)', message: 'A feature does not import another feature or the app root.' },
    ],
  }),
  boundary(['renderer/src/lib/**/*.{ts,tsx}'], {
    paths: RENDERER_PATHS,
    patterns: [
      ...RENDERER_PATTERNS,
      { regex: '^\\.\\./(features|components|App|Shell|routes|AppOrPrint)(/|$)', message: 'lib/ imports only lib/ and shared/.' },
    ],
  }),
  boundary(['renderer/src/components/**/*.{ts,tsx}'], {
    paths: RENDERER_PATHS,
    patterns: [
      ...RENDERER_PATTERNS,
      { regex: '^\\.\\./(features|App|Shell|routes|AppOrPrint)(/|$)', message: 'components/ import only components/, lib/ and shared/.' },
    ],
  }),
);
