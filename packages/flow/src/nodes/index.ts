/**
 * The node catalog: every node type at every version, in one manifest — the one list of node types
 * (`NODE_TYPES` is derived from it). Versions are added, never edited in place: a new behaviour is a
 * new file (e.g. `bot.v2.ts`) listed here next to the old one. The worker's executors
 * (apps/worker/src/nodes) are checked against this manifest by a test.
 */
import { z } from 'zod';
import { activityNode } from './activity';
import { botNode } from './bot';
import { classifyNode } from './classify';
import { decisionNode } from './decision';
import { distributeNode } from './distribute';
import { endNode } from './end';
import { escalateNode } from './escalate';
import { joinNode } from './join';
import { messageNode } from './message';
import { parallelNode } from './parallel';
import { scheduleNode } from './schedule';
import { setNode } from './set';
import { startNode } from './start';
import { subflowNode } from './subflow';
import { subflowNodeV2 } from './subflow.v2';
import { surveyNode } from './survey';
import { ticketNode } from './ticket';
import { type NodeCategory, type NodeDefinition, type PortSpec } from './types';
import { waitNode } from './wait';

const manifest = [
  startNode,
  botNode,
  classifyNode,
  decisionNode,
  distributeNode,
  setNode,
  escalateNode,
  parallelNode,
  joinNode,
  messageNode,
  waitNode,
  scheduleNode,
  ticketNode,
  surveyNode,
  activityNode,
  subflowNode,
  subflowNodeV2,
  endNode,
] as const;

/** Every node type of the language, from the manifest. */
export type NodeType = (typeof manifest)[number]['type'];

/** All node definitions, every version. */
export const nodeDefinitions: readonly NodeDefinition[] = manifest;

/** Every node type of the language (each once, in manifest order), derived from the manifest. */
export const NODE_TYPES = [...new Set(manifest.map((d) => d.type))] as [NodeType, ...NodeType[]];

const byKey = new Map(nodeDefinitions.map((d) => [`${d.type}@${d.typeVersion}`, d]));
const latest = new Map<string, NodeDefinition>();
for (const d of nodeDefinitions) {
  const current = latest.get(d.type);
  if (!current || current.typeVersion < d.typeVersion) latest.set(d.type, d);
}

/** The definition of `type` at `typeVersion`, or undefined when there is none. */
export function getNodeDefinition(type: string, typeVersion: number): NodeDefinition | undefined {
  return byKey.get(`${type}@${typeVersion}`);
}

/** The newest version of a node type (what the designer's palette creates). */
export function latestNodeDefinition(type: string): NodeDefinition | undefined {
  return latest.get(type);
}

/** The versions of a node type this build knows, oldest first. */
export function nodeTypeVersions(type: string): number[] {
  return nodeDefinitions.filter((d) => d.type === type).map((d) => d.typeVersion).sort((a, b) => a - b);
}

const jsonSchemas = new Map<string, Record<string, unknown>>();

/** JSON Schema of a node type's config (input side: fields with defaults are optional), for forms. */
export function nodeConfigJsonSchema(definition: NodeDefinition): Record<string, unknown> {
  const key = `${definition.type}@${definition.typeVersion}`;
  let schema = jsonSchemas.get(key);
  if (!schema) {
    schema = z.toJSONSchema(definition.configSchema, { io: 'input', unrepresentable: 'any' });
    jsonSchemas.set(key, schema);
  }
  return schema;
}

/** A node type as the designer's palette and the API's catalog endpoint serve it (JSON). */
export interface NodeCatalogEntry {
  type: NodeType;
  typeVersion: number;
  title: string;
  category: NodeCategory;
  description: string;
  hasInput: boolean;
  waits: boolean;
  /** Fixed ports, or null when they derive from the config (decision rules, parallel branches…). */
  ports: PortSpec[] | null;
  configSchema: Record<string, unknown>;
  docs: string;
}

/** The catalog of every node type and version, JSON-serializable. */
export function nodeCatalog(): NodeCatalogEntry[] {
  return nodeDefinitions.map((d) => ({
    type: d.type,
    typeVersion: d.typeVersion,
    title: d.title,
    category: d.category,
    description: d.description,
    hasInput: d.hasInput,
    waits: d.waits,
    ports: typeof d.ports === 'function' ? null : [...d.ports],
    configSchema: nodeConfigJsonSchema(d),
    docs: d.docs,
  }));
}

export * from './types';
export { activityNode, botNode, classifyNode, decisionNode, distributeNode, endNode, escalateNode, joinNode, messageNode, parallelNode, scheduleNode, setNode, startNode, subflowNode, subflowNodeV2, surveyNode, ticketNode, waitNode };
export type { ActivityConfig } from './activity';
export type { BotConfig } from './bot';
export { botConfigSchema, botTextsSchema } from './bot';
export { TEXT_KIND_KEYWORD } from './common';
export type { ClassifyConfig } from './classify';
export type { DecisionConfig } from './decision';
export type { DistributeConfig } from './distribute';
export type { EndConfig } from './end';
export type { EscalateConfig, BreachAction } from './escalate';
export type { JoinConfig } from './join';
export type { MessageConfig } from './message';
export type { ParallelConfig } from './parallel';
export type { ScheduleConfig } from './schedule';
export type { SetConfig } from './set';
export type { StartConfig } from './start';
export type { SubflowConfig } from './subflow';
export type { SurveyConfig } from './survey';
export type { TicketConfig } from './ticket';
export type { WaitConfig } from './wait';
