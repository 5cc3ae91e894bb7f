/*
 * Prints the conversation-level evaluation of the bot on the labelled conversations, through the
 * bot-level stand-in of each example flow: `npm run eval:conversations -w @tandem/virtual-agent
 * [-- --verbose]`. `--verbose` lists the development set's failing conversations turn by turn; the
 * held-out set's stay hidden (`--verbose-held-out` shows them, for a final review, not for tuning).
 */
import { evaluateConversations, share, type ConversationFigures, type ConversationReport } from './evaluate';
import { loadConversations } from './format';

function line(label: string, f: ConversationFigures): string {
  const turns = f.escalationsRightCause === 0 ? '–' : (f.turnsToEscalation / f.escalationsRightCause).toFixed(2);
  return [
    label.padEnd(24),
    String(f.conversations).padStart(5),
    String(f.falseContainments).padStart(9),
    String(f.missedContainments).padStart(8),
    `${share(f.humanRequestsHonoured, f.humanRequests)} (${f.humanRequests})`.padStart(14),
    `${share(f.escalationsRightCause, f.escalations)} (${f.escalations})`.padStart(14),
    share(f.escalationsInTime, f.escalations).padStart(9),
    turns.padStart(7),
    String(f.wordingFailures).padStart(7),
  ].join(' ');
}

function print(title: string, report: ConversationReport, verbose: boolean): void {
  console.log(`\n=== ${title} ===`);
  console.log(`${'flow'.padEnd(24)} convs  false-cont  missed  human req hon.  right cause  in time  turns  wording`);
  for (const [flow, figures] of Object.entries(report.byFlow)) console.log(line(flow, figures));
  console.log(line('all', report.overall));
  console.log(`${report.failures.length} conversation(s) with a problem`);
  if (!verbose) return;
  for (const failure of report.failures) {
    console.log(`\n${failure.id}: ${failure.problems.join('; ')}`);
    for (const t of failure.trace) console.log(t);
  }
}

async function main(): Promise<void> {
  const heldOutVerbose = process.argv.includes('--verbose-held-out');
  const verbose = heldOutVerbose || process.argv.includes('--verbose');
  print('development set (eval/conversations/dev.jsonl)', await evaluateConversations(loadConversations('dev.jsonl')), verbose);
  print('held-out set (eval/conversations/heldout.jsonl, never used for tuning)', await evaluateConversations(loadConversations('heldout.jsonl')), heldOutVerbose);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
