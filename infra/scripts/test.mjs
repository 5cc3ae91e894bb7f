#!/usr/bin/env node
// `npm test`: from a fresh clone, install what is missing, bring the local stack up (if it is not
// already running), then lint, typecheck and test every workspace against the real services.
// Extra arguments go to turbo, e.g. `npm test -- --filter=@tandem/flow`.
import { down, up } from '../stack.mjs';
import { StackError } from '../stack/util.mjs';
import { checkNode, ensureNpmDependencies, ensureTestTools, execTee, say } from './common.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../stack/config.mjs';
import { printFailureRecap } from './failure-recap.mjs';

async function main() {
  const t0 = Date.now();
  checkNode();
  await ensureNpmDependencies();
  await ensureTestTools();
  // TANDEM_STACK_EXTERNAL=1: the services are provided elsewhere (docker compose, a shared cluster).
  const results = process.env.TANDEM_STACK_EXTERNAL === '1' ? [] : await up();
  const startedHere = results.filter((r) => !r.reused).map((r) => r.name);

  // Turbo keeps no log of uncached tasks (tests): the whole output goes here too, for the recap.
  const outputLog = path.join(repoRoot, '.turbo', 'last-test-output.log');
  fs.mkdirSync(path.dirname(outputLog), { recursive: true });
  let code = 1;
  try {
    const turbo = ['turbo', 'run', 'lint', 'typecheck', 'test', '--concurrency=2', '--continue', '--summarize', ...process.argv.slice(2)];
    code = await execTee('npx', turbo, outputLog, { env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' } });
  } finally {
    // Leave a stack that was already running for the developer; stop one we started.
    if (startedHere.length && process.env.TANDEM_KEEP_STACK !== '1') {
      say(`stopping what this run started: ${startedHere.join(', ')} (TANDEM_KEEP_STACK=1 keeps it running)`);
      await down(undefined, startedHere);
    }
  }
  if (code !== 0) printFailureRecap(repoRoot, t0, outputLog);
  say(`${code === 0 ? 'all tests passed' : 'tests FAILED'} in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  process.exit(code);
}

main().catch((e) => {
  process.stderr.write(`tandem: ${e instanceof StackError ? e.message : e.stack}\n`);
  process.exit(1);
});
