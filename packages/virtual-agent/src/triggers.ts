import type { EscalationTrigger, EscalationTriggerKind } from '@tandem/contracts';
import { capsRatio, PROFANITY } from './nlu/sentiment';
import { excerpt } from './text';

/**
 * A keyword rule for a sensitive topic. Rules are deliberately explicit word lists and phrases: a flow
 * designer or an auditor can read why a conversation escalated, and every hit names the words.
 */
interface TopicRule {
  kind: EscalationTriggerKind;
  detail?: string;
  pattern: RegExp;
  /** When this matches the same message, the rule does not fire (e.g. "my travel agent"). */
  unless?: RegExp;
}

// A request for a person. "agent" and "operator" are ambiguous ("my letting agent", "network
// operator"), so alone they count only as the whole message, after a request verb, or with real/live.
const TO_PERSON = String.raw`(?:a |an |the |some |your |to |with )*(?:real |live |actual |proper |human |other )*(?:human(?: being)?s?|person|people|somebody|someone|some one|anyone|anybody|agent|operator|representative|rep|advis[oe]r|adviser|colleague|member of (?:staff|your team)|staff|manager|supervisor|team leader|customer (?:service|support)s?(?: staff| team| agent| rep)?|support staff)`;
const PERSON_RULES: readonly TopicRule[] = [
  { kind: 'human_request', pattern: new RegExp(String.raw`\b(?:speak|speek|talk|tlk|chat|connect|transfer|put|pass|get|give|want|need|have|prefer|escalate)\b(?:[\w'* ]{0,24}?)\b(?:me )?(?:through |on |over )?(?:to |with )?${TO_PERSON}\b`, 'gi'), unless: /\b(?:my|our|his|her|their|letting|estate|travel|insurance|network|tour) (?:agent|operator|advis[oe]r)\b|\b(?:someone|somebody) (?:to|who can) (?:come|visit|install|fix|collect|deliver)\b/i },
  { kind: 'human_request', pattern: /\b(?:someone|somebody|a person|a human) (?:from|at|in) (?:your|the) (?:team|company|office|support|staff)\b/gi },
  { kind: 'human_request', pattern: /\b(?:real|live|actual|proper) (?:human|person|persn|agent|people|one)\b|\bhuman(?: being)?\b|\bhumen\b|\bnot (?:a|the|this) (?:bot|robot|machine|chatbot)\b|\b(?:no|stop the|don'?t want a) (?:bot|robot|chatbot)\b/gi },
  { kind: 'human_request', pattern: /^\W*(?:an? |the |live |real )*(?:representative|repres[ae]ntative|reprasentative|rep|agent|operator|advis[oe]r|person|human|someone)\W*(?:please|pls|plz|now)?\W*$/gi },
  { kind: 'human_request', pattern: /\boperator\b[\s,.!]*\boperator\b/gi },
  { kind: 'human_request', pattern: /\b(?:anyone|anybody|somebody|someone) (?:real|there)\b(?![\w ]*\b(?:deliver|sign|collect|home)\b)/gi },
];

const SENSITIVE_RULES: readonly TopicRule[] = [
  // Bereavement.
  { kind: 'vulnerable_customer', detail: 'bereavement', pattern: /\b(?:passed away|pased away|past away|died|dead|death|deceased|bereave(?:d|ment)|funeral|probate|executor|late (?:husband|wife|partner|mother|father|mum|mom|dad|son|daughter|brother|sister|grandad|grandma|aunt|uncle)|widow(?:ed|er)?|lost my (?:husband|wife|partner|mother|father|mum|mom|dad|son|daughter|brother|sister|child|baby))\b/gi, unless: /\b(?:dead (?:line|zone|battery|pixel)|phone (?:is|went) dead)\b/i },
  // Illness and disability.
  { kind: 'vulnerable_customer', detail: 'illness', pattern: /\b(?:hospice|palliative(?: care)?|end[- ]of[- ]life(?: care)?|intensive care|in(?:to)? a (?:care|nursing) home|hospital(?:ised|ized)?|hosptal|cancer|chemo(?:therapy)?|terminal(?:ly)? ill(?:ness)?|seriously ill|illness|diagnosed|dementia|alzheimer'?s|stroke|surgery|operation on my|disabled|disability|wheelchair|blind|partially sighted|deaf|hard of hearing|mental health|depress(?:ed|ion)|anxiety|carer|caring for)\b/gi },
  // Financial hardship.
  { kind: 'vulnerable_customer', detail: 'financial_hardship', pattern: /\b(?:can(?:'?t|not| not) (?:afford|aford|pay(?! (?:online|by|with|my bill online)))|cant aford|struggling (?:to pay|financially|with (?:money|bills|my bills|payments))|lost my job|made redundant|redundan(?:t|cy)|unemployed|out of work|in debt|into debt|debts?(?= collector)|arrears|behind (?:on|with) (?:my )?(?:payments|bills|rent)|on benefits|universal credit|food ?bank|hardship|bankrupt(?:cy)?|overdrawn|no money (?:left|for)|money is (?:really )?tight|payment holiday|evict(?:ed|ion))\b/gi },
  // Someone in crisis or at risk: always a person, never a bot reply.
  { kind: 'vulnerable_customer', detail: 'crisis', pattern: /\b(?:suicid(?:e|al)|kill myself|end(?:ing)? (?:it all|my life)|self[- ]harm|don'?t see the point (?:in|of) (?:anything|living|going on))\b/gi },
  { kind: 'vulnerable_customer', detail: 'abuse', pattern: /\b(?:domestic (?:abuse|violence)|abusive (?:partner|ex|husband|wife)|scared of (?:him|her|my (?:partner|ex|husband|wife))|controls? (?:the|my) (?:account|money|finances))\b/gi },
  // Legal threats.
  { kind: 'legal_threat', pattern: /\b(?:su(?:e|ing)|sew you|lawsuit|law ?suit|solicitors?|lawyers?|attorneys?|barrister|legal (?:action|team|proceedings|advice|department)|take (?:it|this) (?:further )?legally|(?:take|taking) you to court|see you in court|small claims|court (?:action|claim|case)|go(?:ing)? to court|litigation|letter before (?:action|claim)|breach of contract|negligen(?:ce|t))\b/gi, unless: /\bsue (?:me|him|her)\b/i },
  // Regulators, ombudsmen and data-protection rights.
  { kind: 'regulatory', pattern: /\b(?:ombudsman|ombudsmen|regulators?|gdpr|data protection|subject access request|\bsar\b|right to be forgotten|right to erasure|\bico\b|information commissioner|\bfca\b|financial conduct authority|ofcom|ofgem|ofwat|\bcfpb\b|\bftc\b|\bbbb\b|better business bureau|trading standards|consumer protection|data breach|\bccpa\b|attorney general)\b/gi },
  // Complaints, in words.
  { kind: 'complaint', pattern: /\b(?:complain(?:t|ts|ed|ing)?|complant|formal(?:ly)? complaint|(?:not|very|really|extremely) (?:happy|unhappy|satisfied|impressed)(?! with the (?:answer|help))|unhapy|dissatisf(?:ied|action)|disappointed|unacceptable|not acceptable|appall(?:ed|ing|ingly)|disgust(?:ed|ing)|disgrace(?:ful)?|rude|unprofessional|(?:terrible|awful|poor|shocking|worst|bad|appalling) (?:customer )?(?:service|company|experience)|(?:service|company) (?:is|was|has been) (?:terrible|awful|shocking|a (?:total |complete )?joke|absolutely shocking)|a (?:total |complete )?(?:joke|shambles)|treated (?:badly|appallingly|terribly)|ignored|let down|messed (?:me )?around|nobody (?:takes|ever|has(?! to\b))|upsetting)\b/gi },
];

// Exasperation in words, and failed attempts the customer reports ("I already tried resetting it
// three times", "nothing works", "why is this so hard"): frustration before any swearing.
const TIMES = String.raw`(?:twice|(?:two|three|four|five|six|several|multiple|many|so many|a few|\d+) times|again and again|over and over|every (?:single )?time)`;
const FRUSTRATION_WORDINGS = [
  String.raw`ridiculous|fed up|sick (?:and tired )?of|had enough|useless|pathetic|stupid|waste of (?:my )?time|how many times|(?:third|fourth|fifth|\d+(?:st|nd|rd|th)) time|already (?:told|said|explained)|told you|a (?:total |complete )?(?:joke|shambles)`,
  String.raw`already tried|tried (?:everything|all of (?:that|it|this))|(?:tried|done|reset|restarted|rebooted|called|rang|rung|phoned|contacted|chased|emailed|messaged|asked)(?: \w+){0,4} ${TIMES}`,
  String.raw`nothing (?:works|is working|ever works|has worked|seems to work|helps|has helped)|none of (?:it|this|that|them|your \w+) (?:works|worked|helps|helped)`,
  String.raw`why (?:is|does) (?:this|it|everything|that) (?:have to be |be )?so (?:hard|difficult|complicated|confusing)|(?:this|it) (?:is|'s) so (?:hard|difficult|complicated|frustrating)`,
  String.raw`so frustrat\w*|(?:really|very|extremely|getting) frustrat\w*|i'?m frustrated|frustrated (?:with|by|now)|i give up|at my wits'? end|(?:going|go) (?:round|around) in circles|driving me (?:mad|crazy|insane|up the wall)`,
];
const FRUSTRATION_PHRASES = new RegExp(String.raw`\b(?:${FRUSTRATION_WORDINGS.join('|')})\b`, 'gi');

/** Longer messages fire `complaint` only on complaint words, not on the classifier's reading. */
const CLASSIFIED_COMPLAINT_MAX_WORDS = 60;

function matches(pattern: RegExp, text: string): string[] {
  return [...text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))].map((m) => m[0].trim()).filter(Boolean);
}

function evidence(messageIndex: number, text: string, words: string[]) {
  const unique = [...new Set(words)];
  return [{ messageIndex, text: excerpt(text, unique), words: unique.map((w) => excerpt(w, [], 80)) }];
}

/** What the message-level rules need besides the text. */
export interface MessageTriggerContext {
  /** Index of the message in the contact's transcript. */
  messageIndex: number;
  /** The classifier's verdict, so "I want to make a complaint" fires `complaint` even without a listed word. */
  intent?: { name: string; confidence: number };
}

/**
 * Triggers one customer message fires on its own: a request for a human, the sensitive topics
 * (complaint, legal threat, regulatory, vulnerable customer with `detail`) and frustration signals
 * (all caps, profanity, exclamation bursts, exasperated phrases). Conversation-level triggers
 * (repetition, repeated "operator", sentiment trend, low confidence) are added by the bot.
 *
 * @example
 * detectMessageTriggers('I will take you to court', { messageIndex: 3 })
 * // [{ kind: 'legal_threat', reason: 'legal threat: "take you to court"', evidence: [{ messageIndex: 3, … words: ['take you to court'] }] }]
 */
export function detectMessageTriggers(text: string, context: MessageTriggerContext): EscalationTrigger[] {
  const { messageIndex, intent } = context;
  const fired = new Map<string, EscalationTrigger>();
  const add = (kind: EscalationTriggerKind, reason: string, words: string[], detail?: string) => {
    const key = `${kind}:${detail ?? ''}`;
    const existing = fired.get(key);
    if (existing) {
      const first = existing.evidence[0];
      if (first) first.words = [...new Set([...first.words, ...words])];
      return;
    }
    fired.set(key, { kind, reason, evidence: evidence(messageIndex, text, words), ...(detail ? { detail } : {}) });
  };

  for (const rule of [...PERSON_RULES, ...SENSITIVE_RULES]) {
    if (rule.unless?.test(text)) continue;
    const words = matches(rule.pattern, text);
    if (words.length === 0) continue;
    add(rule.kind, describe(rule.kind, words, rule.detail), words, rule.detail);
  }

  if (intent && intent.name === 'human_request' && !fired.has('human_request:')) {
    add('human_request', `classified as a request for a human (${intent.confidence.toFixed(2)})`, []);
  }
  const frustration: string[] = [];
  if (capsRatio(text) >= 0.7 && text.replace(/[^A-Za-z]/g, '').length >= 10 && /[A-Z]{2,}\W+[A-Z]{2,}/.test(text)) frustration.push(text.trim());
  frustration.push(...matches(PROFANITY, text));
  frustration.push(...matches(/!{3,}|[!?]{4,}|(?:\?!|!\?){1,}[!?]*/g, text));
  frustration.push(...matches(FRUSTRATION_PHRASES, text));
  // Masked swearing ("f***ing") is profanity too.
  frustration.push(...matches(/\b\w\*{2,}\w*\b/g, text));
  if (frustration.length > 0) add('frustration', `frustration: ${quote(frustration)}`, frustration);
  // The classifier reads exasperation as a complaint ("why is this so hard"); without a complaint word
  // the message is frustration, and only frustration fires. On a long story its reading of the whole
  // is no evidence of a complaint either: there, only the words count.
  const words = text.split(/\s+/).length;
  if (intent && intent.name === 'complaint' && !fired.has('complaint:') && frustration.length === 0 && words <= CLASSIFIED_COMPLAINT_MAX_WORDS) {
    add('complaint', `classified as a complaint (${intent.confidence.toFixed(2)})`, []);
  }

  return [...fired.values()];
}

function quote(words: string[]): string {
  return [...new Set(words)]
    .slice(0, 3)
    .map((w) => `"${w.length > 40 ? `${w.slice(0, 37)}…` : w}"`)
    .join(', ');
}

function describe(kind: EscalationTriggerKind, words: string[], detail?: string): string {
  switch (kind) {
    case 'human_request':
      return `asked for a human: ${quote(words)}`;
    case 'vulnerable_customer':
      return `vulnerable customer (${(detail ?? 'unspecified').replace(/_/g, ' ')}): ${quote(words)}`;
    case 'legal_threat':
      return `legal threat: ${quote(words)}`;
    case 'regulatory':
      return `regulator or data-protection right: ${quote(words)}`;
    case 'complaint':
      return `complaint: ${quote(words)}`;
    default:
      return `${kind.replace(/_/g, ' ')}: ${quote(words)}`;
  }
}

/** Lower-case text with punctuation and repeated spaces removed, for spotting a repeated message. */
export function normalizeForRepetition(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 160);
}

/** The order in which simultaneous triggers are reported as "the trigger that escalated". */
export const TRIGGER_PRIORITY: readonly EscalationTriggerKind[] = [
  'vulnerable_customer',
  'human_request',
  'legal_threat',
  'regulatory',
  'complaint',
  'frustration',
  'negative_sentiment',
  'low_confidence',
  'repeat_contact',
  'high_value',
  'bot_failure',
  'flow_rule',
];

export function byPriority(a: EscalationTrigger, b: EscalationTrigger): number {
  return TRIGGER_PRIORITY.indexOf(a.kind) - TRIGGER_PRIORITY.indexOf(b.kind);
}
