// A private PostgreSQL cluster owned by the project (Debian's server binaries, our own data directory
// and port), with the `tandem` role and database.
import fs from 'node:fs';
import path from 'node:path';
import { ensureDebianPackages } from './system.mjs';
import { StackError, cmdline, isAlive, isRoot, mkdirp, portOpen, readPid, run, runSync } from './util.mjs';

// The server refuses to run as root; as root we run it as the `postgres` user Debian's package creates.
const SERVER_USER = 'postgres';

function findBinDir(configured) {
  if (configured) return fs.existsSync(path.join(configured, 'postgres')) ? configured : undefined;
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs
    .readdirSync(base)
    .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

export function postgresService(cfg) {
  const pg = cfg.postgres;
  const dataDir = path.join(pg.dir, 'data');
  const socketDir = path.join(pg.dir, 'run');
  const logFile = path.join(cfg.logs, 'postgres.log');
  const user = isRoot ? SERVER_USER : undefined;
  const url = `postgres://${pg.user}:${pg.password}@${cfg.host}:${pg.port}/${pg.database}`;

  function ourPid() {
    const pid = readPid(path.join(dataDir, 'postmaster.pid'));
    return pid && isAlive(pid) && cmdline(pid).includes('postgres') ? pid : undefined;
  }

  function psql(binDir, sql, database = 'postgres') {
    return run(path.join(binDir, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', cfg.host, '-p', String(pg.port), '-U', 'postgres', '-d', database, '-tA', '-c', sql], {
      label: `psql: ${sql.slice(0, 60)}`,
    });
  }

  function ownForServer(dir) {
    mkdirp(dir);
    if (user) runSync('chown', ['-R', `${user}:${user}`, dir]);
  }

  return {
    name: 'postgres',
    address: `${cfg.host}:${pg.port}`,
    describe: () => url,
    pid: ourPid,

    async install(log) {
      if (findBinDir(pg.binDir)) return false;
      if (pg.binDir) throw new StackError(`TANDEM_PG_BIN=${pg.binDir} has no postgres binary`, 'unset TANDEM_PG_BIN to use Debian\'s server binaries');
      await ensureDebianPackages([{ pkg: 'postgresql', why: 'the PostgreSQL server binaries', probe: () => Boolean(findBinDir('')) }], log);
      return true;
    },

    async start() {
      const binDir = findBinDir(pg.binDir);
      if (!binDir) throw new StackError('the PostgreSQL server binaries are not installed', 'npm run stack -- up');
      if (await portOpen(pg.port)) {
        throw new StackError(
          `port ${pg.port} is taken by a process the stack did not start, so PostgreSQL cannot listen there`,
          'stop that process, or choose another port: TANDEM_PG_PORT=55433 npm run stack -- up',
        );
      }
      if (user && runSync('id', ['-u', user]).status !== 0) {
        throw new StackError(`the unprivileged user "${user}" that runs PostgreSQL does not exist`, 'apt-get install -y postgresql (it creates the user)');
      }
      ownForServer(pg.dir);
      ownForServer(socketDir);
      if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
        ownForServer(dataDir);
        await run(path.join(binDir, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale'], {
          user,
          label: 'initdb',
        });
      }
      const options = [
        `-p ${pg.port}`,
        `-k ${socketDir}`,
        `-c listen_addresses=${cfg.host}`,
        '-c max_connections=400',
        '-c shared_buffers=256MB',
        // Dev and test stack: a crash may lose the last few commits, never corrupt the cluster.
        '-c synchronous_commit=off',
        '-c max_prepared_transactions=0',
      ].join(' ');
      fs.writeFileSync(logFile, '');
      if (user) runSync('chown', [`${user}:${user}`, logFile]);
      await run(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-o', options, '-l', logFile, '-w', '-t', '120', 'start'], {
        user,
        label: 'pg_ctl start',
      });
      return ourPid();
    },

    async ready() {
      const binDir = findBinDir(pg.binDir);
      if (!binDir || !(await portOpen(pg.port))) return false;
      const r = runSync(path.join(binDir, 'pg_isready'), ['-h', cfg.host, '-p', String(pg.port), '-U', 'postgres'], { timeout: 5000 });
      return r.status === 0;
    },

    /** Creates the application role and database once the server answers. */
    async provision() {
      const binDir = findBinDir(pg.binDir);
      const role = pg.user.replace(/"/g, '');
      const password = pg.password.replace(/'/g, "''");
      await psql(
        binDir,
        `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE "${role}" LOGIN CREATEDB PASSWORD '${password}'; END IF; END $$;`,
      );
      const exists = await psql(binDir, `SELECT 1 FROM pg_database WHERE datname = '${pg.database}'`);
      if (exists.stdout.trim() !== '1') await psql(binDir, `CREATE DATABASE "${pg.database}" OWNER "${role}"`);
    },

    async stop() {
      const binDir = findBinDir(pg.binDir);
      if (!ourPid() || !binDir) return;
      await run(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], { user, label: 'pg_ctl stop' });
    },

    readyTimeoutMs: 120_000,
    logFile,
  };
}
