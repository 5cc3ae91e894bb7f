/*
 * Prints the evaluation of the default bot: `npm run eval -w @tandem/virtual-agent [-- --verbose]`.
 * `--verbose` lists the development set's errors only: the held-out set's stay hidden so nobody tunes
 * on them by accident. `--verbose-held-out` lists them too (for a final review, not for tuning).
 */
import { evaluate, loadMessages, type EvaluationReport } from './evaluation';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pad = (s: string | number, n: number) => String(s).padStart(n);

function print(title: string, report: EvaluationReport, verbose: boolean): void {
  console.log(`\n=== ${title}: ${report.messages} messages ===`);
  console.log(`intent accuracy ${pct(report.accuracy)} (strict, primary label only: ${pct(report.strictAccuracy)})`);
  const multi = report.multiIntent;
  console.log(`multi-intent messages (n=${multi.n}): ${pct(multi.requestRecall)} of their requests reported, all of them in ${pct(multi.allFound)}`);
  console.log(`by kind: ${Object.entries(report.accuracyByKind).map(([k, v]) => `${k} ${pct(v.accuracy)} (n=${v.n})`).join(', ')}`);
  console.log('\nintent                precision  recall     F1  support');
  for (const [intent, m] of Object.entries(report.perIntent)) {
    console.log(`${intent.padEnd(20)} ${pad(pct(m.precision), 10)} ${pad(pct(m.recall), 7)} ${pad(m.f1.toFixed(3), 6)} ${pad(m.support, 8)}`);
  }
  const labels = Object.keys(report.perIntent);
  const short = (s: string) => s.replace(/_/g, '').slice(0, 6);
  console.log('\nconfusion matrix (rows: expected, columns: predicted)');
  console.log(`${''.padEnd(20)}${labels.map((l) => pad(short(l), 7)).join('')}`);
  for (const row of labels) {
    console.log(`${row.padEnd(20)}${labels.map((col) => pad(report.confusion[row]?.[col] ?? (row === col ? 0 : '.'), 7)).join('')}`);
  }
  console.log('\ntrigger               recall  detected/n');
  for (const [kind, t] of Object.entries(report.perTrigger)) console.log(`${kind.padEnd(20)} ${pad(pct(t.recall), 7)}  ${t.detected}/${t.n}`);
  console.log(`vulnerable-customer detail correct: ${pct(report.vulnerableDetailAccuracy)}`);
  console.log(`false escalation on plain FAQ messages: ${pct(report.falseEscalationRate)} (${report.falseEscalations.length})`);
  for (const f of report.falseEscalations) console.log(`  ${f.triggers.join(',')}: ${f.text}`);
  if (verbose) {
    console.log('\nmisclassified:');
    for (const m of report.misclassified) console.log(`  expected ${m.expected}, got ${m.predicted} (${m.confidence.toFixed(2)}): ${m.text}`);
    console.log('missed triggers:');
    for (const m of report.missedTriggers) console.log(`  ${m.trigger}: ${m.text}`);
  }
}

async function main(): Promise<void> {
  const heldOutVerbose = process.argv.includes('--verbose-held-out');
  const verbose = heldOutVerbose || process.argv.includes('--verbose');
  print('development set (eval/messages.jsonl)', await evaluate(loadMessages('messages.jsonl')), verbose);
  print('held-out set (eval/held-out.jsonl, never used for tuning)', await evaluate(loadMessages('held-out.jsonl')), heldOutVerbose);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
