/**
 * The shape of a node type definition. A definition is data plus pure functions of its config: no
 * React, no I/O. The designer builds its palette and forms from it, the compiler validates with it,
 * the worker reads the plan it produced.
 */
import { type z } from 'zod';
import { type VariableType } from '../document';
import { type ExpectedType } from '../expressions/types';
import { type FlowResolver } from '../resolver';
import type { NodeType } from './index';

/** Palette sections of the designer. */
export type NodeCategory = 'flow' | 'conversation' | 'logic' | 'human' | 'messaging' | 'integration';

/** An output port ("exit") of a node; edges leave from a port. */
export interface PortSpec {
  /** Stable id used in edges (`sourcePort`) and in the plan's `next` map. */
  id: string;
  /** What the designer shows on the canvas. */
  label: string;
  description?: string;
}

/** A CEL expression or `{{ }}` template found in a node's config, with the type it must have. */
export interface ExpressionSite {
  /** Path of the field in the node's config, e.g. `['rules', 0, 'condition']`. */
  path: (string | number)[];
  source: string;
  kind: 'expression' | 'template';
  /** What the expression must evaluate to (ignored for templates, which render any value). */
  expect: ExpectedType;
  /** How the designer calls the field in messages ("condition of rule 'VIP'"). */
  describe: string;
}

/** A name the node refers to that must exist outside the flow (checked through the resolver). */
export interface ExternalReference {
  kind: 'queue' | 'activity' | 'subflow' | 'calendar';
  name: string;
  path: (string | number)[];
}

/** A flow variable a node writes (a reply, a survey score, an activity's output…). */
export interface VariableWrite {
  variable: string;
  path: (string | number)[];
  /** The types the written value may be stored in. */
  accepts: readonly VariableType[];
}

/** What node-specific checks produce; the compiler turns it into a diagnostic on the node. */
export interface NodeIssue {
  code: string;
  message: string;
  path?: (string | number)[];
  severity?: 'error' | 'warning';
}

/** What a definition's functions may look at besides its own config. */
export interface NodeContext {
  /** The flow's declared variables, by name. */
  variables: ReadonlyMap<string, VariableType>;
  resolver: FlowResolver;
  /** The node's label or id, for messages. */
  nodeName: string;
  /** Id of the flow being compiled. */
  flowId: string;
}

// Method syntax keeps these bivariant in the config type, so a manifest can hold every definition.
type Fn<A extends unknown[], R> = { bivarianceHack(...args: A): R }['bivarianceHack'];

/**
 * A node type at one version. Versions are added, never edited in place: a changed behaviour is a new
 * `typeVersion` in a new file, and published flows keep running the version they were compiled with.
 */
export interface NodeDefinition<S extends z.ZodType = z.ZodType, T extends string = NodeType> {
  /** The node type's name (`bot`, `escalate`, …): the manifest (`nodes/index.ts`) derives `NODE_TYPES` from these. */
  type: T;
  typeVersion: number;
  title: string;
  category: NodeCategory;
  /** One sentence for the palette tooltip. */
  description: string;
  /** False only for `start`: nothing may connect into it. */
  hasInput: boolean;
  /**
   * True when the node durably waits for a person or a timer (bot conversation, wait, escalate,
   * survey, subflow). A cycle must pass through one, so a loop can never spin without time passing.
   */
  waits: boolean;
  /** zod schema of the config, with defaults; its JSON Schema drives the designer's form. */
  configSchema: S;
  /**
   * Output ports: fixed, or derived from the (parsed) config and the resolver. `null` when they cannot
   * be known (a subflow the resolver does not know; that is reported on its own).
   */
  ports: readonly PortSpec[] | Fn<[config: z.output<S>, context: NodeContext], PortSpec[] | null>;
  /**
   * The port taken when a node's `maxVisits` bound is reached (see the loop rules in the docs).
   * Must be one of the node's ports.
   */
  loopExitPort: Fn<[config: z.output<S>], string | undefined>;
  expressions?: Fn<[config: z.output<S>, context: NodeContext], ExpressionSite[]>;
  references?: Fn<[config: z.output<S>], ExternalReference[]>;
  writes?: Fn<[config: z.output<S>, context: NodeContext], VariableWrite[]>;
  /** Node-specific checks that need the resolver or the flow (activity input mapping, subflow inputs). */
  validate?: Fn<[config: z.output<S>, context: NodeContext], NodeIssue[]>;
  /** Markdown for the designer's help panel and docs/flow-language.md. */
  docs: string;
}

/** Keeps the config type of a definition while checking its shape. */
export function defineNode<S extends z.ZodType, T extends string>(definition: NodeDefinition<S, T>): NodeDefinition<S, T> {
  return definition;
}

/** The ports of a node with the given (already parsed) config. */
export function portsOf(definition: NodeDefinition, config: unknown, context: NodeContext): PortSpec[] | null {
  return typeof definition.ports === 'function' ? definition.ports(config, context) : [...definition.ports];
}
