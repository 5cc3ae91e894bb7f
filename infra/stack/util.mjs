// Small process and filesystem helpers for the stack script. Node built-ins only: the script must run
// on a fresh clone before `npm install`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from './config.mjs';

export const repoPath = (relative) => path.join(repoRoot, relative);

export class StackError extends Error {
  /**
   * @param {string} message what is wrong, in one sentence
   * @param {string} [fix] the command or action that fixes it
   */
  constructor(message, fix) {
    super(fix ? `${message}\n  fix: ${fix}` : message);
    this.name = 'StackError';
  }
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export function mkdirp(dir) {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cmd);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Runs a command to completion; resolves with its output, rejects with its tail on failure. */
export function run(cmd, args, { cwd, env, input, label, user } = {}) {
  const [file, argv] = asUser(user, cmd, args);
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => reject(new StackError(`${label ?? cmd} could not start: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout: out, stderr: err });
      else {
        const tail = (err || out).trim().split('\n').slice(-15).join('\n');
        reject(new StackError(`${label ?? `${cmd} ${args.join(' ')}`} failed (exit ${code}):\n${tail}`));
      }
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

export function runSync(cmd, args, opts = {}) {
  const [file, argv] = asUser(opts.user, cmd, args);
  return spawnSync(file, argv, { encoding: 'utf8', ...opts });
}

/** Wraps a command so it runs as another (unprivileged) user when we are root. */
export function asUser(user, cmd, args) {
  if (!user || !isRoot) return [cmd, args];
  return ['runuser', ['-u', user, '--', cmd, ...args]];
}

/** Starts a long-running process detached from us, its output appended to a log file. */
export function spawnDetached(cmd, args, { logFile, cwd, env, user }) {
  mkdirp(path.dirname(logFile));
  rotate(logFile);
  const fd = fs.openSync(logFile, 'a');
  const [file, argv] = asUser(user, cmd, args);
  const child = spawn(file, argv, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  child.unref();
  fs.closeSync(fd);
  return child.pid;
}

function rotate(logFile) {
  try {
    if (fs.statSync(logFile).size > 0) fs.renameSync(logFile, `${logFile}.1`);
  } catch {
    // no previous log
  }
}

/** True while the process runs; an exited process not yet reaped by its parent (a zombie) counts as gone. */
export function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if (e.code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export function cmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

export function readPid(file) {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]?.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function portOpen(port, host = '127.0.0.1', timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitUntil(probe, { timeoutMs, intervalMs = 200, what, onTick }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (onTick) onTick();
    if (Date.now() > deadline) throw new StackError(`${what} did not become ready within ${timeoutMs / 1000}s`);
    await sleep(intervalMs);
  }
}

/** Resident memory of a process and its descendants, in MiB. */
export function rssMiB(pid) {
  const pids = [pid, ...descendants(pid)];
  let kb = 0;
  for (const p of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      // exited meanwhile
    }
  }
  return Math.round(kb / 1024);
}

function descendants(pid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  const out = [];
  const stack = [pid];
  while (stack.length) {
    for (const c of children.get(stack.pop()) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

export async function stopPid(pid, { timeoutMs = 20000 } = {}) {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    while (isAlive(pid)) await sleep(50);
  }
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

/**
 * A cross-process lock (a directory created atomically) so that concurrent `up`s — e.g. several test
 * runners starting at once — install and start each service only once.
 */
export async function withLock(dir, fn, { log }) {
  const lock = path.join(dir, 'lock');
  mkdirp(dir);
  let announced = false;
  const deadline = Date.now() + 15 * 60 * 1000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const holder = readPid(path.join(lock, 'pid'));
      if (holder !== undefined && !isAlive(holder)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (holder === undefined) {
        // The holder may be between mkdir and writing its pid; give it a moment before calling it stale.
        const age = Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
        if (age > 5000) {
          fs.rmSync(lock, { recursive: true, force: true });
          continue;
        }
      }
      if (!announced) {
        log(`waiting for another stack command (pid ${holder ?? '?'}) to finish`);
        announced = true;
      }
      if (Date.now() > deadline) throw new StackError(`gave up waiting for the stack lock ${lock}`, `rm -rf ${lock}`);
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
