// Jest globalSetup: the stack (as every integration suite), then one build of the designer for all
// end-to-end suites — suites run in parallel and serve the same dist/, so none may rebuild it.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

module.exports = async function globalSetup(globalConfig, projectConfig) {
  const stackSetup = require('@tandem/jest-config')({ stack: true }).globalSetup;
  if (stackSetup) await require(stackSetup)(globalConfig, projectConfig);
  const root = path.resolve(__dirname, '..');
  const e2e = (globalConfig.testPathPatterns?.patterns ?? globalConfig.testPathPattern ?? '').toString();
  // Unit-only runs (`jest test/unit`) need no build.
  if (/test[\\/]unit/.test(e2e)) return;
  if (process.env.TANDEM_WEB_SKIP_BUILD === '1' && fs.existsSync(path.join(root, 'dist', 'index.html'))) return;
  const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('vite build of the designer failed (see above)');
};
