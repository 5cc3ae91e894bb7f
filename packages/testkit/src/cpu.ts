import { existsSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU milliseconds (user + system) that these processes have used so far, read from /proc (Linux), for
 * benchmarks that split a cost between this process and a server it talks to. A process that is gone
 * counts as 0; NaN when /proc cannot be read at all (not Linux).
 */
export function processCpuMs(pids: readonly number[]): number {
  if (!existsSync('/proc/self/stat')) return NaN;
  let ticks = 0;
  for (const pid of pids) {
    try {
      // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited meanwhile
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
