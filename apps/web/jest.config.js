// Unit tests (pure graph modules, the store, services) need nothing; the end-to-end suites start the
// real API and worker, so the stack must be up, and they share one build of the designer, made once
// before any suite starts (test/global-setup.cjs).
const base = require('@tandem/jest-config')({ stack: true, testTimeout: 180_000 });

module.exports = { ...base, globalSetup: require.resolve('./test/global-setup.cjs') };
