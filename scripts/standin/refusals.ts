// What each provider answers for a request its API description refuses, in the provider's own words and
// shape: OpenAI a 400 `{ error: { message, type, param, code } }` naming the parameter, Replicate a 422
// problem-details body (`title`, `detail`, `status`, `invalid_fields`) in gojsonschema's phrasing.
import type { ContractProblem } from './contracts.js';

/** `/messages/0/role` -> `messages[0].role`, as OpenAI names parameters. */
export function openaiParam(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
}

/** The value a pointer names inside a body. */
function valueAt(body: unknown, pointer: string): unknown {
  let value = body;
  for (const part of pointer.split('/').slice(1)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

function depth(problem: ContractProblem): number {
  return problem.pointer === '' ? 0 : problem.pointer.split('/').length;
}

/**
 * The one problem to report, as the API reports one: an unknown or missing parameter first, else the
 * deepest concrete one. Under `anyOf` (nullable values, unions) every branch reports its own miss; the
 * summary (`must match a schema in anyOf`) and the `must be null` of a nullable branch say nothing useful.
 */
export function mainProblem(problems: readonly ContractProblem[]): ContractProblem | undefined {
  const concrete = problems.filter(
    (p) => p.keyword !== 'anyOf' && !(p.keyword === 'type' && p.params.type === 'null'),
  );
  const pool = concrete.length > 0 ? concrete : [...problems];
  const structural = pool.find((p) => p.keyword === 'additionalProperties' || p.keyword === 'required');
  if (structural && depth(structural) === 0) return structural;
  return pool.reduce<ContractProblem | undefined>(
    (best, p) => (!best || depth(p) > depth(best) ? p : best),
    undefined,
  );
}

/** Every value an `enum` allows at a pointer, over all the branches that listed one. */
function allowedAt(problems: readonly ContractProblem[], pointer: string): unknown[] {
  const values = problems
    .filter((p) => p.keyword === 'enum' && p.pointer === pointer)
    .flatMap((p) => (p.params.allowedValues as unknown[] | undefined) ?? []);
  return [...new Set(values)].filter((v) => v !== null);
}

const quote = (v: unknown): string => `'${typeof v === 'string' ? v : JSON.stringify(v)}'`;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

export interface OpenaiRefusal {
  message: string;
  param: string | null;
  code: string | null;
}

/** OpenAI's 400 for the first problem, in the phrasing its API uses for each kind of check. */
export function openaiRefusal(problems: readonly ContractProblem[], body: unknown): OpenaiRefusal {
  const problem = mainProblem(problems);
  if (!problem) return { message: 'Invalid request.', param: null, code: null };
  const param = openaiParam(problem.pointer);
  const value = valueAt(body, problem.pointer);
  // OpenAI words a bound by the parameter's type: `temperature: 5` is a decimal above its maximum.
  const types = Array.isArray(problem.schemaType) ? problem.schemaType : [problem.schemaType];
  const number = types.includes('integer') ? 'integer' : 'decimal';
  const limit = problem.params.limit;
  switch (problem.keyword) {
    case 'additionalProperties': {
      const name = String(problem.params.additionalProperty);
      const full = param ? `${param}.${name}` : name;
      return {
        message: `Unrecognized request argument supplied: ${full}`,
        param: full,
        code: 'unknown_parameter',
      };
    }
    case 'required': {
      const name = String(problem.params.missingProperty);
      const full = param ? `${param}.${name}` : name;
      return {
        message: `Missing required parameter: '${full}'.`,
        param: full,
        code: 'missing_required_parameter',
      };
    }
    case 'maximum':
    case 'exclusiveMaximum':
      return {
        message: `Invalid '${param}': ${number} above maximum value. Expected a value ${String(problem.params.comparison)} ${String(limit)}, but got ${String(value)} instead.`,
        param,
        code: `${number}_above_max_value`,
      };
    case 'minimum':
    case 'exclusiveMinimum':
      return {
        message: `Invalid '${param}': ${number} below minimum value. Expected a value ${String(problem.params.comparison)} ${String(limit)}, but got ${String(value)} instead.`,
        param,
        code: `${number}_below_min_value`,
      };
    case 'enum':
      return {
        message: `Invalid value: ${quote(value)}. Supported values are: ${allowedAt(problems, problem.pointer).map(quote).join(', ')}.`,
        param,
        code: 'invalid_value',
      };
    case 'type':
      return {
        message: `Invalid type for '${param}': expected ${typeName(exampleOf(String(problem.params.type)))}, but got ${typeName(value)} instead.`,
        param,
        code: 'invalid_type',
      };
    case 'maxLength':
      return {
        message: `Invalid '${param}': string too long. Expected a string with maximum length ${String(limit)}, but got a string with length ${String(value).length} instead.`,
        param,
        code: 'string_above_max_length',
      };
    case 'minItems':
      return {
        message: `Invalid '${param}': array too short. Expected an array with minimum length ${String(limit)}, but got an array with length ${Array.isArray(value) ? value.length : 0} instead.`,
        param,
        code: Array.isArray(value) && value.length === 0 ? 'empty_array' : 'array_below_min_length',
      };
    default:
      return {
        message: `Invalid '${param || 'body'}': ${problem.message}.`,
        param: param || null,
        code: 'invalid_value',
      };
  }
}

/** A value of a JSON Schema type, to name the type the way OpenAI's messages do. */
function exampleOf(type: string): unknown {
  const examples: Record<string, unknown> = {
    integer: 1,
    number: 1.5,
    string: '',
    boolean: true,
    array: [],
    object: {},
  };
  return type in examples ? examples[type] : null;
}

/** One entry of Replicate's `invalid_fields`. */
export interface ReplicateInvalidField {
  type: string;
  field: string;
  description: string;
}

/** Replicate's field names: `input`, `webhook_events_filter.0`, `(root)` for the body itself. */
function replicateField(pointer: string): string {
  return pointer === '' ? '(root)' : pointer.slice(1).split('/').join('.');
}

/** Replicate's invalid fields for the problems, in gojsonschema's words (what its API answers with). */
export function replicateInvalidFields(
  problems: readonly ContractProblem[],
  body: unknown,
): ReplicateInvalidField[] {
  const fields: ReplicateInvalidField[] = [];
  for (const p of problems) {
    if (p.keyword === 'anyOf') continue;
    const field = replicateField(p.pointer);
    const value = valueAt(body, p.pointer);
    if (p.keyword === 'additionalProperties') {
      fields.push({
        type: 'additional_property_not_allowed',
        field,
        description: `Additional property ${String(p.params.additionalProperty)} is not allowed`,
      });
    } else if (p.keyword === 'required') {
      fields.push({
        type: 'required',
        field,
        description: `${String(p.params.missingProperty)} is required`,
      });
    } else if (p.keyword === 'type') {
      fields.push({
        type: 'invalid_type',
        field,
        description: `Invalid type. Expected: ${String(p.params.type)}, given: ${jsonType(value)}`,
      });
    } else if (p.keyword === 'enum') {
      fields.push({
        type: 'enum',
        field,
        description: `${field} must be one of the following: ${((p.params.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', ')}`,
      });
    } else {
      fields.push({ type: p.keyword, field, description: p.message });
    }
  }
  return fields;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
