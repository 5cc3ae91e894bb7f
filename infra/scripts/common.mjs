// Shared steps of `npm start` and `npm test`: check the toolchain, install npm dependencies when the
// lockfile says they are missing or stale, install the Debian packages the test suites need.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../stack/config.mjs';
import { ensureDebianPackages } from '../stack/system.mjs';
import { StackError, which } from '../stack/util.mjs';

export const say = (msg) => process.stdout.write(`tandem: ${msg}\n`);

export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    throw new StackError(`Node ${process.versions.node} is too old; Tandem needs Node >= 20.19`, 'install Node 20 LTS (https://nodejs.org) or `nvm install 20`');
  }
}

/** Runs a command with inherited output; resolves with its exit code. */
export function exec(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * Runs a command whose output is shown as it comes and also copied to `logFile` (stdout and stderr
 * together); resolves with its exit code.
 */
export function execTee(cmd, args, logFile, options = {}) {
  return new Promise((resolve, reject) => {
    const log = fs.createWriteStream(logFile);
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: ['inherit', 'pipe', 'pipe'], ...options });
    child.stdout.on('data', (d) => (process.stdout.write(d), log.write(d)));
    child.stderr.on('data', (d) => (process.stderr.write(d), log.write(d)));
    child.on('error', reject);
    child.on('close', (code, signal) => log.end(() => resolve(code ?? (signal ? 128 : 1))));
  });
}

/**
 * Installs npm dependencies when node_modules is missing or older than the lockfile. `npm install`
 * rather than `npm ci`: registries that serve only this platform's optional binaries (as the mirrors
 * on our build machines do) leave the other platforms' entries out of the lockfile, which `npm ci`
 * rejects as out of sync; `npm install` honours the same pinned versions.
 */
export async function ensureNpmDependencies() {
  const lock = path.join(repoRoot, 'package-lock.json');
  const installed = path.join(repoRoot, 'node_modules', '.package-lock.json');
  const fresh = fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs;
  if (fresh) return;
  say('installing npm dependencies (npm install)');
  const t0 = Date.now();
  const code = await exec('npm', ['install', '--no-audit', '--no-fund']);
  if (code !== 0) throw new StackError('npm install failed (see above)', 'check that the npm registry is reachable: npm ping');
  say(`npm dependencies installed in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

/** Debian packages some suites drive for real: kcat (an independent Kafka client) and Chromium. */
export async function ensureTestTools() {
  await ensureDebianPackages(
    [
      { pkg: 'kcat', why: 'an independent Kafka client for the event contract tests', probe: () => Boolean(which('kcat')) },
      { pkg: 'chromium', why: 'the designer end-to-end tests run in real Chromium', probe: () => fs.existsSync('/usr/bin/chromium') },
    ],
    say,
  );
}
