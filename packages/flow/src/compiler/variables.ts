/**
 * The flow's declared variables: duplicate names and defaults of the wrong type, and each variable's
 * initial value in the plan (its default, or the zero value of its type).
 */
import { type FlowVariable, type VariableType } from '../document';
import { type PlanVariable } from '../plan';
import { type Compilation } from './compilation';

function zeroValue(type: VariableType): unknown {
  switch (type) {
    case 'int':
    case 'double':
      return 0;
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'map':
      return {};
    default:
      return [];
  }
}

function fitsType(value: unknown, type: VariableType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'double':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'list<string>':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'list<int>':
      return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isSafeInteger(v));
    case 'list<double>':
      return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
    case 'map':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/** Drops `undefined` and makes the value plain JSON (what the plan carries). */
function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Records the declared variables in `compilation.variables` and returns them as the plan lists them (by name). */
export function checkVariables(compilation: Compilation): PlanVariable[] {
  const byName = new Map<string, FlowVariable>();
  compilation.document.variables.forEach((variable, i) => {
    if (byName.has(variable.name)) {
      compilation.report('FLOW_DUPLICATE_VARIABLE', `The variable "${variable.name}" is declared more than once`, { path: ['variables', i, 'name'] });
      return;
    }
    byName.set(variable.name, variable);
    compilation.variables.set(variable.name, variable.type);
    if (variable.default !== undefined && !fitsType(variable.default, variable.type)) {
      compilation.report('FLOW_VARIABLE_DEFAULT_INVALID', `The default value of "${variable.name}" is not of its type (${variable.type})`, {
        path: ['variables', i, 'default'],
      });
    }
  });
  return [...byName.values()]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((v) => ({ name: v.name, type: v.type, initial: plainJson(v.default !== undefined && fitsType(v.default, v.type) ? v.default : zeroValue(v.type)) }));
}
