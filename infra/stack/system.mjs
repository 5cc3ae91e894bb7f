// Debian packages the stack (and some test suites) need. Installed with apt-get when we are root,
// otherwise the error names the command to run.
import { StackError, isRoot, run, which } from './util.mjs';

let aptUpdated = false;

/**
 * Makes sure each `{ pkg, probe }` is present: `probe()` returns true when it is installed.
 * @param {{ pkg: string, probe: () => boolean, why: string }[]} wanted
 */
export async function ensureDebianPackages(wanted, log) {
  const missing = wanted.filter((w) => !w.probe());
  if (missing.length === 0) return;
  const names = missing.map((m) => m.pkg);
  const fix = `sudo apt-get update && sudo apt-get install -y ${names.join(' ')}`;
  if (!isRoot || !which('apt-get')) {
    throw new StackError(
      `missing ${missing.map((m) => `${m.pkg} (${m.why})`).join(', ')}`,
      fix,
    );
  }
  const started = Date.now();
  log(`installing Debian packages: ${names.join(' ')} (apt-get)`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    await run('apt-get', ['update', '-qq'], { env, label: 'apt-get update' });
    aptUpdated = true;
  }
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
    env,
    label: `apt-get install ${names.join(' ')}`,
  });
  const still = missing.filter((m) => !m.probe());
  if (still.length) throw new StackError(`apt-get installed ${names.join(' ')} but ${still.map((s) => s.pkg).join(', ')} is still not usable`, fix);
  log(`installed ${names.join(' ')} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
