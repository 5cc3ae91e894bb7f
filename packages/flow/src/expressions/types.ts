/** Types that a compiled expression is checked against. */
import { type VariableType } from '../document';

/**
 * What a CEL expression must evaluate to. `number` accepts `int` or `double`; `any` accepts anything;
 * the rest are CEL type names. `dyn` results (e.g. `customer.attributes.ltv`) pass every check:
 * their type is only known at run time.
 */
export type ExpectedType = VariableType | 'number' | 'list' | 'any';

/** Whether a CEL type reported by the checker may be used where `expected` is required. */
export function isAssignable(actual: string, expected: ExpectedType): boolean {
  if (expected === 'any' || actual === 'dyn') return true;
  switch (expected) {
    case 'number':
    case 'double':
      return actual === 'int' || actual === 'double';
    case 'map':
      return actual === 'map' || actual.startsWith('map<');
    case 'list':
      return actual === 'list' || actual.startsWith('list<');
    case 'list<double>':
      return actual === 'list<double>' || actual === 'list<int>' || actual === 'list<dyn>' || actual === 'list';
    case 'list<string>':
    case 'list<int>':
      return actual === expected || actual === 'list<dyn>' || actual === 'list';
    default:
      return actual === expected;
  }
}

/** Designer-facing name of a type in messages. */
export function describeType(type: string): string {
  switch (type) {
    case 'bool':
      return 'true/false';
    case 'int':
      return 'a whole number';
    case 'double':
      return 'a decimal number';
    case 'number':
      return 'a number';
    case 'string':
      return 'text';
    case 'map':
      return 'a map';
    case 'null':
      return 'null';
    default:
      if (type.startsWith('list')) return `a list (${type})`;
      if (type.startsWith('map')) return `a map (${type})`;
      return type;
  }
}
