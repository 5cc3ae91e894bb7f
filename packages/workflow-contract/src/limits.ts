/** The workflow type the worker registers for contacts (`client.workflow.start(CONTACT_WORKFLOW_TYPE, …)`). */
export const CONTACT_WORKFLOW_TYPE = 'contactFlow';

/**
 * The longest customer message a contact accepts, in characters. Every entry point (the REST API, the
 * workflow's own update validator) enforces this one number.
 */
export const MAX_CUSTOMER_MESSAGE_LENGTH = 10_000;

/**
 * The error of a customer message sent while the contact continues in a new run (continue-as-new):
 * nothing was recorded; send the same message again.
 */
export const CONTACT_MOVING = 'CONTACT_MOVING: the contact is continuing in a new run; send the message again';

/** Whether an update failure's message is {@link CONTACT_MOVING} (the client should send the message again). */
export function isContactMoving(message: string | undefined): boolean {
  return typeof message === 'string' && message.startsWith('CONTACT_MOVING');
}
