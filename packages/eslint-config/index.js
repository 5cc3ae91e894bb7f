// Shared ESLint flat config.
//
//   // eslint.config.js
//   module.exports = require('@tandem/eslint-config')({ tsconfigRootDir: __dirname });
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const globals = require('globals');

const NODE_BUILTINS = ['fs', 'net', 'http', 'https', 'crypto', 'child_process', 'os', 'path', 'dns', 'worker_threads', 'cluster', 'process', 'timers'];

/**
 * @param {{ tsconfigRootDir: string, ignores?: string[], browser?: boolean }} options
 */
module.exports = function createEslintConfig({ tsconfigRootDir, ignores = [], browser = false }) {
  return tseslint.config(
    { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'test-artifacts/**', '**/*.js', '**/*.mjs', '**/*.cjs', ...ignores] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: {
        globals: browser ? { ...globals.browser } : { ...globals.node },
        parserOptions: { projectService: true, tsconfigRootDir },
      },
      rules: {
        '@typescript-eslint/no-floating-promises': 'error',
        '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
        '@typescript-eslint/require-await': 'off',
        '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
        'no-console': 'off',
      },
    },
    {
      // Temporal workflow code runs in a deterministic sandbox: no I/O, no clock, no randomness. Node
      // executors (`src/nodes/<type>/executor*.ts`) are workflow code too.
      files: ['**/workflows/**/*.ts', '**/executor.ts', '**/executor.*.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: NODE_BUILTINS.flatMap((m) => [m, `node:${m}`]).map((name) => ({
              name,
              message: 'Workflow code must be deterministic: do I/O in an activity.',
            })),
          },
        ],
        'no-restricted-properties': [
          'error',
          { object: 'Math', property: 'random', message: 'Use the workflow sandbox (uuid4() or a seeded value from input).' },
          { object: 'Date', property: 'now', message: 'Workflow time comes from the sandbox; pass times through input or activities.' },
        ],
      },
    },
    {
      files: ['**/*.test.ts', '**/*.test.tsx', 'test/**/*.ts', 'bench/**/*.ts'],
      rules: {
        '@typescript-eslint/no-unsafe-assignment': 'off',
        '@typescript-eslint/no-unsafe-member-access': 'off',
        '@typescript-eslint/no-unsafe-argument': 'off',
        '@typescript-eslint/no-unsafe-call': 'off',
        '@typescript-eslint/no-unsafe-return': 'off',
        '@typescript-eslint/no-non-null-assertion': 'off',
        '@typescript-eslint/unbound-method': 'off',
      },
    },
  );
};
