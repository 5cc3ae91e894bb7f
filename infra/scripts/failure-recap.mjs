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

/**
 * Reads the run summary turbo wrote (`--summarize`) after `since` (ms) and prints, for every task that
 * failed, the failing tests' details, or the end of its log when they are not Jest's.
 */
export function printFailureRecap(repoRoot, since, write = (s) => process.stdout.write(s)) {
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
    if (!fs.existsSync(log)) {
      write(`(no log at ${log})\n`);
      continue;
    }
    const lines = fs.readFileSync(log, 'utf8').split('\n');
    const details = jestFailures(lines);
    const shown = details.length ? details : lines.slice(-60);
    write(shown.slice(0, 300).join('\n') + (shown.length > 300 ? `\n… ${shown.length - 300} more lines in ${log}` : '') + '\n');
  }
}
