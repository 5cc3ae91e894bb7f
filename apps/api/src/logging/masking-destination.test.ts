import { maskCardsInLogLine, maskingDestination } from './masking-destination';

describe('log lines never hold a card number in clear', () => {
  it('masks Luhn-valid card numbers inside every string of the line, whatever field', () => {
    const line = JSON.stringify({
      level: 40,
      time: 1765143602000,
      msg: 'request failed for 4111 1111 1111 1111',
      req: { url: '/v1/contacts/4111111111111111' },
      err: { message: 'bad "4111-1111-1111-1111"', stack: 'Error: 5500005555555559\n    at x' },
    });
    const masked = JSON.parse(maskCardsInLogLine(line)) as Record<string, never>;
    expect(masked).toEqual({
      level: 40,
      time: 1765143602000,
      msg: 'request failed for **** **** **** 1111',
      req: { url: '/v1/contacts/************1111' },
      err: { message: 'bad "****-****-****-1111"', stack: 'Error: ************5559\n    at x' },
    });
  });

  it('leaves numbers outside strings (times, durations) and digit runs that fail the Luhn check alone', () => {
    // 1765143602008 passes the Luhn check: as the time of a line it must stay what it is.
    const line = JSON.stringify({ time: 1765143602008, responseTime: 12, msg: 'order 12345678, ref 4111 1111 1111 1112' });
    expect(maskCardsInLogLine(line)).toBe(line);
  });

  it('writes through the wrapped destination', () => {
    const lines: string[] = [];
    const destination = maskingDestination({ write: (l: string) => void lines.push(l) });
    destination.write(`${JSON.stringify({ msg: 'card 4111 1111 1111 1111' })}\n`);
    expect(lines).toEqual([`${JSON.stringify({ msg: 'card **** **** **** 1111' })}\n`]);
  });
});
