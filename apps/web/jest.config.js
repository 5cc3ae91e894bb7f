// Unit tests (pure graph modules and the store) need nothing; the end-to-end suite starts the real API,
// so the stack must be up.
module.exports = require('@tandem/jest-config')({ stack: true, testTimeout: 180_000 });
