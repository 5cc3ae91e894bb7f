module.exports = require('@tandem/jest-config')();
