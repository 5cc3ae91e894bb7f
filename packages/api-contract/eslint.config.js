module.exports = require('@tandem/eslint-config')({ tsconfigRootDir: __dirname });
