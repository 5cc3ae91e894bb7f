/**
 * Tandem's virtual agent: local, deterministic customer-service NLU (NLP.js intents and entities,
 * chrono dates, a CX sentiment and trigger layer, MiniSearch knowledge answers), the bot turn the
 * worker's bot and classify activities call, handoff packages and agent assist.
 */
export { runBotTurn, botGreeting, preloadBotModels, endAfterQuietPeriod, type BotTurnInput, type BotTurnResult, type BotOutcome } from './bot';
export { analyzeMessage, type MessageAnalysis, type AnalyzeOptions } from './analyze';
export { classifyMessage, type ClassifyInput, type ClassifyResult } from './classify';
export { answerWhileWaiting, type WaitingMessage, type WaitingAnswer } from './waiting';
export { contactTriggers, recentContactSchema, type RecentContact, type ContactTriggerInput } from './contact-triggers';
export { analysedText, ANALYSED_HEAD, ANALYSED_TAIL } from './text';
export {
  botOptionsSchema,
  parseBotOptions,
  entityTypeSchema,
  slotSchema,
  extraIntentSchema,
  botTextsSchema,
  type BotOptions,
  type BotOptionsInput,
  type SlotOptions,
  type ExtraIntent,
  type EntityType,
  type BotTexts,
} from './options';
export { conversationStateSchema, initialConversationState, type ConversationState } from './state';
export { DEFAULT_CX_INTENTS, NO_INTENT, OUT_OF_SCOPE_INTENT, CIRCUMSTANCES_INTENT, type IntentDefinition } from './intents/default-intents';
export { splitClauses } from './nlu/clauses';
export { getIntentModel, clearIntentModelCache, IntentModel, MODEL_CACHE_DIR_ENV } from './nlu/intent-model';
export { intentModelKey, mergeIntents, MODEL_VERSION, type IntentModelSpec } from './nlu/intent-spec';
export { NEURAL_SETTINGS } from './nlu/nlpjs';
export { type IntentClassification, type IntentScore } from './nlu/intent-classification';
export { extractDates, normalizeEntity, ENTITY_REGEX_RULES } from './nlu/entities';
export { scoreSentiment, sentimentTrend } from './nlu/sentiment';
export { detectMessageTriggers, TRIGGER_PRIORITY, type MessageTriggerContext } from './triggers';
export { KnowledgeBase, knowledgeArticleSchema, type KnowledgeArticle, type KnowledgeArticleInput, type KnowledgeHit } from './knowledge/knowledge-base';
export { buildHandoffPackage, type HandoffInput } from './handoff';
export { extractiveSummary, type SummaryHints } from './summary';
export {
  assist,
  checkAgentReply,
  luhnValid,
  ibanValid,
  DEFAULT_REQUIRED_DISCLOSURES,
  requiredDisclosureSchema,
  type AssistInput,
  type AssistSuggestions,
  type ComplianceFlag,
  type AgentReplyContext,
  type RequiredDisclosure,
} from './assist';
export {
  LocalReplyDrafter,
  ExtractiveSummarizer,
  type ReplyDrafter,
  type Summarizer,
  type Draft,
  type DraftRequest,
  type Summary,
  type SummaryRequest,
} from './providers/providers';
export {
  OpenAiCompatibleClient,
  LlmReplyDrafter,
  LlmSummarizer,
  LlmCallError,
  llmSettingsFromEnv,
  providersFromEnv,
  type LlmSettings,
} from './providers/openai-compatible';
export { VirtualAgentInputError } from './errors';
