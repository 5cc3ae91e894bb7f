/**
 * Payment card numbers (PANs) must never be stored in clear (PCI DSS): every text that may be kept —
 * transcripts, handoff packages, events, logs — goes through {@link maskPaymentCards} first. Pure and
 * deterministic: the workflow sandbox, the API and the browser use the same function.
 */

/** 13–19 digits, optionally grouped by single spaces or dashes (`4111 1111 1111 1111`, `4111-1111-1111-1111`). */
const CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;

/** Whether a digit string passes the Luhn check every issued card number passes. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** What {@link maskPaymentCards} did: the text, and how many card numbers it masked. */
export interface MaskedText {
  text: string;
  masked: number;
}

/**
 * Masks every Luhn-valid card number in `text`, keeping its last four digits and its grouping
 * (`4111 1111 1111 1111` → `**** **** **** 1111`). Order numbers, phone numbers and other digit runs
 * that fail the Luhn check are left as they are.
 *
 * @example maskPaymentCards('my card is 4111 1111 1111 1111, exp 12/29') // { text: 'my card is **** **** **** 1111, exp 12/29', masked: 1 }
 */
export function maskPaymentCards(text: string): MaskedText {
  let masked = 0;
  const out = text.replace(CANDIDATE, (match) => {
    const run = maskRun(match);
    masked += run.masked;
    return run.text;
  });
  return { text: out, masked };
}

/** Keeps the last four digits of a card number; every other digit becomes '*', separators stay. */
function maskCard(card: string): string {
  const digits = card.replace(/[ -]/g, '').length;
  let seen = 0;
  return card.replace(/\d/g, (d) => (++seen > digits - 4 ? d : '*'));
}

/**
 * One run of digit groups: the whole run when it is a card number; otherwise the longest stretch of
 * whole groups (13–19 digits) that is one, so a number written on with its expiry or CVV
 * (`4111 1111 1111 1111 12/27 123`) is still found — then the rest of the run, the same way.
 */
function maskRun(run: string): MaskedText {
  if (!/\d/.test(run)) return { text: run, masked: 0 };
  if (luhnValid(run.replace(/[ -]/g, ''))) return { text: maskCard(run), masked: 1 };
  const groups = [...run.matchAll(/\d+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length, digits: m[0].length }));
  let best: { from: number; to: number; digits: number } | undefined;
  for (let i = 0; i < groups.length; i++) {
    let digits = 0;
    for (let j = i; j < groups.length && digits + groups[j]!.digits <= 19; j++) {
      digits += groups[j]!.digits;
      if (digits < 13 || (best && digits <= best.digits) || (i === 0 && j === groups.length - 1)) continue;
      const stretch = run.slice(groups[i]!.start, groups[j]!.end);
      if (luhnValid(stretch.replace(/[ -]/g, ''))) best = { from: groups[i]!.start, to: groups[j]!.end, digits };
    }
  }
  if (!best) return { text: run, masked: 0 };
  const after = maskRun(run.slice(best.to));
  return { text: run.slice(0, best.from) + maskCard(run.slice(best.from, best.to)) + after.text, masked: 1 + after.masked };
}
