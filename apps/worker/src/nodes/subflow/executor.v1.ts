import { subflowExecutor } from './executor';

export const subflowExecutorV1 = subflowExecutor(
  1,
  'a child workflow `contact-<id>/sub/<node>/<visit>` with the subflow\'s pinned plan (else the latest published one); the caller keeps the conversation (forwards customer messages, says what the child says); the child owns its work items; its outcome picks the exit. A child that fails, times out or is terminated fails the calling contact. Cancelling the caller cancels the child and waits for it to close (it abandons: withdraws its work item, sends its last events); should the caller close without it anyway, Temporal asks the child to cancel (`parentClosePolicy: REQUEST_CANCEL`). A child cancelled on its own (Temporal UI, CLI) ends `abandoned` and the caller goes on through that exit',
);
