module.exports = require('@tandem/eslint-config')({ tsconfigRootDir: __dirname, browser: true, ignores: ['vite.config.mts'] });
