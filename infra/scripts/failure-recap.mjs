// After a failed `npm test`, repeat what failed at the very end of the output: turbo interleaves the
// logs of concurrent tasks, so a failure's details scroll far up (and CI shows only the tail).
import fs from 'node:fs';
import path from 'node:path';

/** Lines of a Jest log that explain failures: each `●` block (the test's name, the assertion, the stack head). */
function jestFailures(lines) {
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*● /.test(lines[i]) || /● Console\s*$/.test(lines[i])) continue;
    let end = i + 1;
    while (end < lines.length && end - i < 40 && !/^\s*● /.test(lines[end]) && !/^(PASS|FAIL) /.test(lines[end].trim())) end++;
    out.push(...lines.slice(i, end));
  }
  return out;
}

/** A task's own lines from turbo's combined output (each is prefixed `<package>:<task>: `), prefix removed. */
function taskLines(outputLog, task) {
  if (!outputLog || !fs.existsSync(outputLog)) return [];
  const prefix = `${task.package}:${task.task}: `;
  return fs
    .readFileSync(outputLog, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.slice(prefix.length));
}

/**
 * Reads the run summary turbo wrote (`--summarize`) after `since` (ms) and prints, for every task that
 * failed, the failing tests' details, or the end of its output when they are not Jest's. A task's
 * output comes from `outputLog` (turbo's combined output), else from turbo's per-task log file.
 */
export function printFailureRecap(repoRoot, since, outputLog, write = (s) => process.stdout.write(s)) {
  const runsDir = path.join(repoRoot, '.turbo', 'runs');
  const latest = fs.existsSync(runsDir)
    ? fs
        .readdirSync(runsDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => path.join(runsDir, f))
        .filter((f) => fs.statSync(f).mtimeMs >= since)
        .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0]
    : undefined;
  if (!latest) return write('tandem: no turbo run summary found; the failure is in the output above\n');
  const summary = JSON.parse(fs.readFileSync(latest, 'utf8'));
  const failed = (summary.tasks ?? []).filter((t) => t.execution && t.execution.exitCode !== 0);
  if (!failed.length) return;
  write(`\ntandem: ${failed.length} task(s) failed: ${failed.map((t) => t.taskId).join(', ')}\n`);
  for (const task of failed) {
    const log = path.join(repoRoot, task.directory ?? '', '.turbo', `turbo-${task.task}.log`);
    write(`\n──── ${task.taskId} (exit ${task.execution.exitCode}) ────\n`);
    let lines = taskLines(outputLog, task);
    if (!lines.length && fs.existsSync(log)) lines = fs.readFileSync(log, 'utf8').split('\n');
    if (!lines.length) {
      write('(no output of this task was kept; see above)\n');
      continue;
    }
    const shownFrom = outputLog && fs.existsSync(outputLog) ? outputLog : log;
    const details = jestFailures(lines);
    const shown = details.length ? details : lines.slice(-60);
    write(shown.slice(0, 300).join('\n') + (shown.length > 300 ? `\n… ${shown.length - 300} more lines in ${shownFrom}` : '') + '\n');
  }
}
