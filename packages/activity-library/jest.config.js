module.exports = require('@tandem/jest-config')({ stack: true });
