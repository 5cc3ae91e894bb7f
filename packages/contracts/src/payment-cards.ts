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
    const digits = match.replace(/[ -]/g, '');
    if (!luhnValid(digits)) return match;
    masked++;
    let seen = 0;
    // Keep the last four digits; every other digit becomes '*', separators stay.
    return match.replace(/\d/g, (d) => (++seen > digits.length - 4 ? d : '*'));
  });
  return { text: out, masked };
}
