export * from './workflows/messages';
export * from './workflows/types';
export * from './activities/contract';
export { ContactIdKey, FlowIdKey, FlowVersionKey, ChannelKey, StepKey, QueueKey, OutcomeKey } from './workflows/search-attributes';
export { CONTACT_MOVING } from './workflows/interpreter';
