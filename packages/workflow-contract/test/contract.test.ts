import fs from 'node:fs';
import path from 'node:path';
import {
  agentMessageSignal,
  cancelSignal,
  CONTACT_MOVING,
  CONTACT_SEARCH_ATTRIBUTES,
  customerMessageUpdate,
  isContactMoving,
  stateQuery,
  subflowInputSignal,
  subflowOutputSignal,
  workItemAssignedSignal,
  workItemResolvedSignal,
} from '../src';

const repo = path.resolve(__dirname, '../../..');

describe('the contact workflow contract', () => {
  it('keeps the names running contacts and deployed clients use', () => {
    // Renaming one strands every running contact: clients would call a handler that does not exist.
    expect([customerMessageUpdate.name, agentMessageSignal.name, workItemResolvedSignal.name, workItemAssignedSignal.name, cancelSignal.name, stateQuery.name, subflowInputSignal.name, subflowOutputSignal.name]).toEqual([
      'customerMessage',
      'agentMessage',
      'workItemResolved',
      'workItemAssigned',
      'cancel',
      'state',
      'subflowInput',
      'subflowOutput',
    ]);
  });

  it('lists the search attributes the local stack and docker-compose register, with their types', () => {
    const wanted = CONTACT_SEARCH_ATTRIBUTES.map((k) => `${k.name}=${k.type === 'INT' ? 'Int' : 'Keyword'}`).sort();
    const stack = fs.readFileSync(path.join(repo, 'infra/stack/config.mjs'), 'utf8');
    const registered = [...stack.matchAll(/(Tandem\w+): '(\w+)'/g)].map((m) => `${m[1]}=${m[2]}`).sort();
    expect(registered).toEqual(wanted);
    const compose = fs.readFileSync(path.join(repo, 'infra/docker-compose.yml'), 'utf8');
    expect([...compose.matchAll(/--search-attribute=(Tandem\w+=\w+)/g)].map((m) => m[1]).sort()).toEqual(wanted);
  });

  it('recognises the hand-over error a client must retry on, and nothing else', () => {
    expect(isContactMoving(CONTACT_MOVING)).toBe(true);
    expect(isContactMoving('the contact has ended')).toBe(false);
    expect(isContactMoving(undefined)).toBe(false);
  });
});
