/**
 * The entry for the Temporal workflow sandbox (`@tandem/flow/sandbox`): only what evaluating a plan
 * needs at run time — the expression evaluator, templates and business hours — without the plan and
 * document schemas. The sandbox re-runs the top level of every module it imports for each new
 * workflow, so each schema built at import costs every contact; types come from `@tandem/flow/runtime`.
 */
export { createEvaluator, evaluate, toJsonValue, ExpressionEvaluationError } from './expressions/evaluator';
export { MissingLiveDataError } from './expressions/environment';
export { parseTemplate, formatTemplateValue } from './expressions/template';
export { isOpen, nextOpening, isValidTimeZone } from './calendar/hours';
export { contentHash } from './hash';
