module.exports = require('@tandem/jest-config')({ stack: true, testTimeout: 120_000 });
