/**
 * The runtime-facing entry (`@tandem/flow/runtime`): what the Temporal workflow sandbox needs to run a
 * plan — the Plan type and schema, the expression evaluator, template rendering and business hours.
 * No compiler, no node catalog: a smaller workflow bundle.
 */
export { planSchema, planNodeSchema, planExpressionSchema, planOutcomes, planHash, verifyPlanHash } from './plan';
export type { Plan, PlanNode, PlanExpression, PlanParallel, PlanLoop, PlanLoopBound, PlanVariable } from './plan';
export { createEvaluator, evaluate, toJsonValue, ExpressionEvaluationError } from './expressions/evaluator';
export type { Activation, Evaluator, EvaluatorOptions, JsonValue, PreparedActivation } from './expressions/evaluator';
export { MissingLiveDataError } from './expressions/environment';
export { parseTemplate, formatTemplateValue } from './expressions/template';
export type { TemplatePart } from './expressions/template';
export { isOpen, nextOpening, calendarSchema, isValidTimeZone } from './calendar/calendar';
export type { Calendar, CalendarInput, CalendarRef } from './calendar/calendar';
