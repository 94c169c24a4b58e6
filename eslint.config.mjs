// scalelab's lint: eslint's and typescript-eslint's recommended rules (syntax only, no type
// information: type-aware rules would double the time of npm test on 2 cores, and tsc already
// checks types). Run with `npm run lint`; npm test runs it first (pretest).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'out/',
      'coverage/',
      'data/',
      '.jupyter-local/',
      'notebooks/*.ipynb',
      'notebooks/plotly.min.js',
      // Not linted yet (issue 15 point 5, left): their cells type arquero rows as `any` (65 places)
      // and keep a few bindings for the exercises; npm run typecheck:notebooks checks them strictly.
      'notebooks/src/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter or binding kept for its position or for documentation.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: { ...globals.jest } },
  },
  {
    // Left (issue 15 point 5): these still type untyped JSON as `any` (Jupyter messages and
    // notebook metadata, zeromq sockets loaded from tslab's folder, heterogeneous experiment lists,
    // storm's bolt state, tests that patch configurations). Give each a real type and take it off
    // this list; the rule holds everywhere else, so no new `any` gets in.
    files: [
      'lib/notebook/execute.ts',
      'lib/notebook/kernel.ts',
      'lib/notebook/nbformat.ts',
      'lib/labs/catalog.ts',
      'lib/labs/lab11/index.ts',
      'lib/labs/measured/notebook.ts',
      'lib/systems/storm/topology.ts',
      'test/labs/lab12-scaling.test.ts',
      'test/notebook/execute.test.ts',
      'test/queueing/cli.test.ts',
      'test/systems/architecture/kafka.test.ts',
      'test/systems/architecture/schema.test.ts',
      'test/systems/contract.test.ts',
      'test/systems/geodns/system.test.ts',
      'test/systems/loadbalancer/contract.test.ts',
    ],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
