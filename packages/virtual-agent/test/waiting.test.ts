/** Questions asked while queued for a person (issue 19, #13): answered when the bot is sure, else left to the person. */
import { answerWhileWaiting, VirtualAgentInputError } from '../src';

const now = '2026-03-04T10:00:00Z';

describe('answerWhileWaiting', () => {
  it.each([
    ['when do you open?', 'kb-opening-hours'],
    ['what are your opening times on bank holidays?', 'kb-opening-hours'],
    ['how do I reset my password?', 'kb-password-reset'],
  ])('answers "%s" from the knowledge base', async (message, articleId) => {
    const answer = await answerWhileWaiting({ message, channel: 'chat', now });
    expect(answer).toMatchObject({ articleId });
    expect(answer!.reply.length).toBeGreaterThan(40);
  });

  it.each([
    'Hello? Is anyone there?',
    'I want to talk to a real person',
    'this is ridiculous, I have been waiting forever',
    'where is my order AB123456?',
    'my husband passed away and I need help with his account',
    'ok',
    'asdf',
  ])('leaves "%s" to the person (null)', async (message) => {
    expect(await answerWhileWaiting({ message, channel: 'chat', now })).toBeNull();
  });

  it('reads only the first two sentences on voice', async () => {
    const chat = await answerWhileWaiting({ message: 'when do you open?', channel: 'chat', now });
    const voice = await answerWhileWaiting({ message: 'when do you open?', channel: 'voice', now });
    expect(voice!.reply).toBe('Our customer support team is available Monday to Friday 8am to 8pm and Saturday 9am to 5pm. Stores open Monday to Saturday 9am to 6pm and Sunday 10am to 4pm.');
    expect(chat!.reply.startsWith(voice!.reply)).toBe(true);
    expect(chat!.reply.length).toBeGreaterThan(voice!.reply.length);
  });

  it('rejects a bad channel or time, and returns null for empty text', async () => {
    await expect(answerWhileWaiting({ message: 'when do you open?', channel: 'fax' as never, now })).rejects.toThrow(VirtualAgentInputError);
    await expect(answerWhileWaiting({ message: 'when do you open?', channel: 'chat', now: 'soon' })).rejects.toThrow(/now/);
    expect(await answerWhileWaiting({ message: '   ', channel: 'chat', now })).toBeNull();
  });
});
