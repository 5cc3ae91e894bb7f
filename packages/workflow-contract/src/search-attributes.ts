/**
 * Search attributes a contact carries, so support engineers find contacts with
 * `temporal workflow list --query 'TandemQueue = "billing"'`. Registered by the local stack
 * (infra/stack/config.mjs) and docker-compose; a test keeps both equal to {@link CONTACT_SEARCH_ATTRIBUTES}.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ContactIdKey = defineSearchAttributeKey('TandemContactId', SearchAttributeType.KEYWORD);
export const FlowIdKey = defineSearchAttributeKey('TandemFlowId', SearchAttributeType.KEYWORD);
export const FlowVersionKey = defineSearchAttributeKey('TandemFlowVersion', SearchAttributeType.INT);
export const ChannelKey = defineSearchAttributeKey('TandemChannel', SearchAttributeType.KEYWORD);
export const StepKey = defineSearchAttributeKey('TandemStep', SearchAttributeType.KEYWORD);
export const QueueKey = defineSearchAttributeKey('TandemQueue', SearchAttributeType.KEYWORD);
export const OutcomeKey = defineSearchAttributeKey('TandemOutcome', SearchAttributeType.KEYWORD);

/** Every search attribute a contact carries: what a Temporal namespace must register for Tandem. */
export const CONTACT_SEARCH_ATTRIBUTES = [ContactIdKey, FlowIdKey, FlowVersionKey, ChannelKey, StepKey, QueueKey, OutcomeKey] as const;
