import { createHash, randomUUID } from 'node:crypto';

/**
 * Namespace of Tandem's name-based (version 5) UUIDs. Fixed forever: changing it would change every
 * derived id, and with them the deduplication of events and inbound contacts.
 */
export const TANDEM_UUID_NAMESPACE = '6f1e4f7a-3c55-5d0e-9a8e-2b7d6c1f0a42';

/** RFC 9562 UUID version 5 (SHA-1, name-based): the same name always gives the same id. */
export function uuidV5(name: string, namespace: string = TANDEM_UUID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`uuidV5: namespace must be a UUID, got "${namespace}"`);
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of the `sequence`-th event a workflow emits. The worker numbers its events (the sequence is
 * part of workflow state and survives `continueAsNew`), so an activity that is retried republishes the
 * very same ids and consumers drop the duplicates.
 *
 * @example deterministicEventId('contact-42', 7) // always the same UUID
 */
export function deterministicEventId(workflowId: string, sequence: number): string {
  if (!workflowId) throw new Error('deterministicEventId: workflowId is empty');
  if (!Number.isSafeInteger(sequence) || sequence < 0) {
    throw new Error(`deterministicEventId: sequence must be a non-negative integer, got ${sequence}`);
  }
  return uuidV5(`event:${workflowId}#${sequence}`);
}

/**
 * The Tandem contact id of a contact handed over by another system: the same (system, external id)
 * always maps to the same contact, which is what makes inbound contacts idempotent.
 */
export function inboundContactId(externalSystem: string, externalContactId: string): string {
  if (!externalSystem || !externalContactId) throw new Error('inboundContactId: externalSystem and externalContactId are required');
  // A separator that cannot occur in either part keeps ("a:b","c") and ("a","b:c") apart.
  return uuidV5(`contact:${externalSystem}\u0000${externalContactId}`);
}

/** A fresh random event id, for events that are not replayed (the API's, written through the outbox). */
export function newEventId(): string {
  return randomUUID();
}
