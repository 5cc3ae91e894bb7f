/**
 * The evaluation of the default bot on the labelled messages under eval/: per-intent precision /
 * recall / F1, a confusion matrix, per-trigger recall and the false escalation rate on plain FAQ
 * messages. Used by `npm run eval` (prints) and test/evaluation.test.ts (asserts floors).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EscalationTriggerKind } from '@tandem/contracts';
import { analyzeMessage } from '../src/analyze';
import { getIntentModel } from '../src/nlu/intent-model';
import { parseBotOptions } from '../src/options';

export interface LabelledMessage {
  id: string;
  text: string;
  /** The intent the customer expresses first (`none` for off-topic). */
  intent: string;
  /** Other intents a multi-intent message also expresses; predicting one of them counts as correct. */
  accept?: string[];
  triggers: EscalationTriggerKind[];
  detail?: string;
  kind: 'faq' | 'plain' | 'misspelling' | 'multi_intent' | 'off_topic' | 'sensitive' | 'frustration';
}

export function loadMessages(file = 'messages.jsonl'): LabelledMessage[] {
  return readFileSync(join(__dirname, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as LabelledMessage;
      } catch (e) {
        throw new Error(`${file}:${i + 1}: ${(e as Error).message}`);
      }
    });
}

export interface IntentMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvaluationReport {
  messages: number;
  /** Correct when the prediction is the label or one of its `accept` alternatives. */
  accuracy: number;
  /** Correct only when the prediction is the primary label. */
  strictAccuracy: number;
  accuracyByKind: Record<string, { accuracy: number; n: number }>;
  perIntent: Record<string, IntentMetrics>;
  /** confusion[expected][predicted] = count (expected is the primary label, or the accepted one predicted). */
  confusion: Record<string, Record<string, number>>;
  perTrigger: Record<string, { recall: number; detected: number; n: number }>;
  /** Vulnerable-customer messages whose `detail` (bereavement, illness, …) was right. */
  vulnerableDetailAccuracy: number;
  /**
   * Multi-intent messages: the share of their labelled requests (`intent` and `accept`) that the
   * analysis reports in `requests`, and the share of messages where it reports all of them.
   */
  multiIntent: { requestRecall: number; allFound: number; n: number };
  /** Share of plain FAQ messages on which an escalating trigger fired. */
  falseEscalationRate: number;
  falseEscalations: { text: string; triggers: string[] }[];
  misclassified: { text: string; expected: string; predicted: string; confidence: number }[];
  missedTriggers: { text: string; trigger: string }[];
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export async function evaluate(messages: LabelledMessage[]): Promise<EvaluationReport> {
  const options = parseBotOptions({});
  const model = await getIntentModel({ useDefaultIntents: true, intents: [] });
  const now = new Date('2026-03-02T10:00:00Z');
  const confusion: Record<string, Record<string, number>> = {};
  const perTriggerCounts: Record<string, { detected: number; n: number }> = {};
  const byKind: Record<string, { ok: number; n: number }> = {};
  let correct = 0;
  let strict = 0;
  let faq = 0;
  let vulnerable = 0;
  let vulnerableDetailOk = 0;
  let multiRequests = 0;
  let multiFound = 0;
  let multiMessages = 0;
  let multiAllFound = 0;
  const falseEscalations: EvaluationReport['falseEscalations'] = [];
  const misclassified: EvaluationReport['misclassified'] = [];
  const missedTriggers: EvaluationReport['missedTriggers'] = [];
  for (const m of messages) {
    const analysis = await analyzeMessage(model, m.text, { confidenceThreshold: options.confidenceThreshold, messageIndex: 0, now });
    const ok = analysis.intent === m.intent || (m.accept ?? []).includes(analysis.intent);
    const expected = ok ? analysis.intent : m.intent;
    confusion[expected] ??= {};
    confusion[expected][analysis.intent] = (confusion[expected][analysis.intent] ?? 0) + 1;
    if (ok) correct += 1;
    else misclassified.push({ text: m.text, expected: [m.intent, ...(m.accept ?? [])].join('/'), predicted: analysis.intent, confidence: analysis.confidence });
    if (analysis.intent === m.intent) strict += 1;
    byKind[m.kind] ??= { ok: 0, n: 0 };
    byKind[m.kind]!.n += 1;
    if (ok) byKind[m.kind]!.ok += 1;

    if (m.kind === 'multi_intent') {
      const wanted = [m.intent, ...(m.accept ?? [])].filter((i) => i !== 'none');
      const found = wanted.filter((i) => analysis.requests.some((r) => r.intent === i)).length;
      multiMessages += 1;
      multiRequests += wanted.length;
      multiFound += found;
      if (found === wanted.length) multiAllFound += 1;
    }

    const fired = new Set(analysis.triggers.map((t) => t.kind));
    for (const kind of m.triggers) {
      perTriggerCounts[kind] ??= { detected: 0, n: 0 };
      perTriggerCounts[kind].n += 1;
      if (fired.has(kind)) perTriggerCounts[kind].detected += 1;
      else missedTriggers.push({ text: m.text, trigger: kind });
    }
    if (m.detail) {
      vulnerable += 1;
      if (analysis.triggers.some((t) => t.kind === 'vulnerable_customer' && t.detail === m.detail)) vulnerableDetailOk += 1;
    }
    if (m.kind === 'faq') {
      faq += 1;
      const escalating = analysis.triggers.filter((t) => t.kind === 'human_request' || options.escalateOn.includes(t.kind));
      if (escalating.length > 0) falseEscalations.push({ text: m.text, triggers: escalating.map((t) => t.kind) });
    }
  }

  const intents = [...new Set([...messages.map((m) => m.intent), ...Object.values(confusion).flatMap((row) => Object.keys(row))])].sort();
  const perIntent: Record<string, IntentMetrics> = {};
  for (const intent of intents) {
    const tp = confusion[intent]?.[intent] ?? 0;
    const predicted = Object.values(confusion).reduce((sum, row) => sum + (row[intent] ?? 0), 0);
    const support = Object.values(confusion[intent] ?? {}).reduce((a, b) => a + b, 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    perIntent[intent] = { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  }
  return {
    messages: messages.length,
    accuracy: ratio(correct, messages.length),
    strictAccuracy: ratio(strict, messages.length),
    accuracyByKind: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, { accuracy: ratio(v.ok, v.n), n: v.n }])),
    perIntent,
    confusion,
    perTrigger: Object.fromEntries(Object.entries(perTriggerCounts).map(([k, v]) => [k, { recall: ratio(v.detected, v.n), ...v }])),
    vulnerableDetailAccuracy: ratio(vulnerableDetailOk, vulnerable),
    multiIntent: { requestRecall: ratio(multiFound, multiRequests), allFound: ratio(multiAllFound, multiMessages), n: multiMessages },
    falseEscalationRate: ratio(falseEscalations.length, faq),
    falseEscalations,
    misclassified,
    missedTriggers,
  };
}
