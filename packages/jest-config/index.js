// Shared Jest configuration for every workspace.
//
//   // jest.config.js
//   module.exports = require('@tandem/jest-config')({ stack: true });
//
// `stack: true` runs `npm run stack -- up` once before the suite (a no-op when it already runs), so a
// package's tests can be run on their own with `npm test -w <package>`.
const path = require('node:path');

// ESM-only dependencies that Jest (CommonJS) must transform.
const ESM_PACKAGES = ['@marcbachmann/cel-js'];

/**
 * @param {{ stack?: boolean, testTimeout?: number, esm?: string[], testMatch?: string[], testEnvironment?: string }} [options]
 * @returns {import('jest').Config}
 */
module.exports = function createJestConfig(options = {}) {
  const esm = [...ESM_PACKAGES, ...(options.esm ?? [])];
  return {
    testEnvironment: options.testEnvironment ?? 'node',
    testMatch: options.testMatch ?? ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.tsx', '<rootDir>/test/**/*.test.tsx'],
    transform: {
      '^.+\\.(t|j|mj)sx?$': [
        '@swc/jest',
        {
          jsc: {
            target: 'es2022',
            parser: { syntax: 'typescript', tsx: true, decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
            keepClassNames: true,
          },
          module: { type: 'commonjs' },
        },
      ],
    },
    transformIgnorePatterns: [`/node_modules/(?!(${esm.map((p) => p.replace('/', '\\/')).join('|')})/)`],
    moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
    testTimeout: options.testTimeout ?? (options.stack ? 60_000 : 10_000),
    globalSetup: options.stack ? path.join(__dirname, 'stack-setup.js') : undefined,
    // Integration suites share one stack; two workers keep a 2-core machine responsive.
    maxWorkers: options.maxWorkers ?? 2,
    clearMocks: true,
  };
};
