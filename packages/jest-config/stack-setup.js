// Jest globalSetup: make sure the local stack runs before an integration suite starts. Idempotent and
// fast when it already runs (`npm test` at the root brings it up once before any package).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function findRepoRoot(dir) {
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'infra', 'stack.mjs'))) return d;
  }
  throw new Error(`cannot find infra/stack.mjs above ${dir}`);
}

module.exports = async function stackSetup() {
  if (process.env.TANDEM_STACK_EXTERNAL === '1') return; // services are provided by someone else (e.g. docker compose)
  const root = findRepoRoot(process.cwd());
  const r = spawnSync(process.execPath, [path.join(root, 'infra', 'stack.mjs'), 'up', '--quiet'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the local stack did not come up; see the message above (npm run stack -- up)');
};
