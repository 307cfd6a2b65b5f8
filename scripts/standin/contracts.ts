// The providers' published API descriptions (../shared/contracts: OpenAI's and Replicate's OpenAPI
// documents) as a validator: which operation a method and path are, whether a request body is one the
// operation takes, and whether a response is one it documents. The stand-in refuses what the documents
// refuse and the tests check every answer it gives against them.
//
// The documents are OpenAPI 3.1 (JSON Schema 2020-12), validated with Ajv2020, with the quirks they carry
// converted once at load:
// - `nullable: true` (an OpenAPI 3.0 keyword both documents still use) becomes `null` in `type` or `enum`,
//   or an `anyOf` with `{type: 'null'}` when the schema has neither;
// - `oneOf` becomes `anyOf`, and `discriminator` (an annotation for code generators) is dropped: both
//   documents list overlapping alternatives under `oneOf` (Replicate's `version`: any string, or the string
//   "hidden"), which a strict `oneOf` refuses for matching twice; `anyOf` still needs one to match, and the
//   discriminated unions stay exact because each alternative fixes its `type` with an `enum`;
// - OpenAPI's numeric and binary `format`s (int64, double, binary) are annotations here, checked by `type`.
// Multipart bodies are validated as their fields, coerced the way a form is read (`"0.5"` for a number, a
// repeated `key[]` for an array), with a file as its name.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with a default export; under NodeNext its namespace is what `import` yields.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export type ProviderName = 'openai' | 'replicate';

const FILES: Record<ProviderName, string> = {
  openai: 'openai-openapi.json',
  replicate: 'replicate-openapi.json',
};

/** Where the documents are: REELFORGE_CONTRACTS_DIR, else the project's own `contracts/`. */
export function contractsDir(): string {
  const fromEnv = process.env.REELFORGE_CONTRACTS_DIR;
  if (fromEnv) return resolve(fromEnv);
  // The project's own copy (contracts/, with its provenance and sums): a clean clone checks its traffic
  // without anything beside it.
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return resolve(root, 'contracts');
}

/** One problem with a body: where (JSON pointer into the body) and what. */
export interface ContractProblem {
  /** `/temperature`, `/messages/0/role`; empty for the body itself. */
  pointer: string;
  keyword: string;
  message: string;
  params: Record<string, unknown>;
  /** The `type` of the schema that refused it (`integer`, `number`, ...), when it has one. */
  schemaType?: unknown;
}

export interface Operation {
  provider: ProviderName;
  operationId: string;
  method: string;
  /** The document's path template, e.g. `/predictions/{prediction_id}`. */
  template: string;
  pathParams: Record<string, string>;
}

export interface RequestToCheck {
  method: string;
  /** The path after the API's base (`/chat/completions`, `/predictions/abc`). */
  path: string;
  contentType?: string;
  /** A parsed JSON body, or a multipart form's fields (see `formFields`). */
  body?: unknown;
}

export interface ResponseToCheck extends RequestToCheck {
  status: number;
  /** A parsed JSON body; absent for binary content. */
  responseBody?: unknown;
  responseContentType?: string;
}

type Json = Record<string, unknown>;

/** Schema ids: absolute, so the refs of inline schemas resolve into their document. */
const BASE = 'https://contracts.reelforge.invalid/';
const documentId = (provider: ProviderName): string => `${BASE}${provider}.json`;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The OpenAPI 3.0 leftovers and code-generator annotations, converted (see the top of the file). */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (NAME_MAPS.has(key) && isObject(value)) {
      // Names in a map are names, not keywords (a property may well be called `format` or `nullable`).
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, toJsonSchema(child)]),
      );
      continue;
    }
    if (key === 'discriminator' || key === 'nullable') continue;
    if (key === 'oneOf') out.anyOf = toJsonSchema(value);
    else if (key === 'format' && typeof value === 'string' && ANNOTATION_FORMATS.has(value)) continue;
    else out[key] = toJsonSchema(value);
  }
  if (node.nullable === true) {
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
    if (Array.isArray(out.type))
      return out.type.includes('null') ? out : { ...out, type: [...out.type, 'null'] };
    if (!Array.isArray(out.enum)) return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/** Keywords whose value maps names to schemas. */
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'schemas',
]);

/** OpenAPI formats that say how a value is stored, not what it may be: `type` checks what matters. */
const ANNOTATION_FORMATS = new Set([
  'unixtime',
  'binary',
  'int32',
  'int64',
  'uint64',
  'double',
  'float',
  'byte',
]);

interface PathEntry {
  template: string;
  regex: RegExp;
  names: string[];
  literalSegments: number;
  methods: Json;
}

class ProviderContract {
  private readonly paths: PathEntry[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    readonly provider: ProviderName,
    readonly doc: Json,
    private readonly ajv: Ajv2020,
    private readonly formAjv: Ajv2020,
  ) {
    this.paths = Object.entries(doc.paths as Json).map(([template, methods]) => {
      const names: string[] = [];
      const source = template
        .split('/')
        .map((segment) => {
          const param = /^\{(.+)\}$/.exec(segment);
          if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(param[1]!);
          return '([^/]+)';
        })
        .join('/');
      return {
        template,
        regex: new RegExp(`^${source}$`),
        names,
        literalSegments: template.split('/').filter((s) => s && !s.startsWith('{')).length,
        methods: methods as Json,
      };
    });
    // A literal segment wins over a parameter (`/models/{o}/{n}/versions` before `/models/{o}/{n}/{x}`).
    this.paths.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** The operation a method and path name, or why there is none (`404`: no such path, `405`: method). */
  operation(method: string, path: string): Operation | { missing: 404 | 405 } {
    let pathFound = false;
    for (const entry of this.paths) {
      const match = entry.regex.exec(path);
      if (!match) continue;
      pathFound = true;
      const op = entry.methods[method.toLowerCase()];
      if (!isObject(op)) continue;
      const pathParams: Record<string, string> = {};
      entry.names.forEach((name, i) => (pathParams[name] = decodeURIComponent(match[i + 1] ?? '')));
      return {
        provider: this.provider,
        operationId: String(op.operationId),
        method: method.toUpperCase(),
        template: entry.template,
        pathParams,
      };
    }
    return { missing: pathFound ? 405 : 404 };
  }

  private operationObject(op: Operation): Json {
    return ((this.doc.paths as Json)[op.template] as Json)[op.method.toLowerCase()] as Json;
  }

  /** A validator for a schema object of the document (refs resolve against the whole document). */
  private validator(key: string, schema: unknown, form: boolean): ValidateFunction {
    const cacheKey = `${form ? 'form' : 'json'}:${key}`;
    let validate = this.compiled.get(cacheKey);
    if (!validate) {
      const ajv = form ? this.formAjv : this.ajv;
      const ref = (schema as { $ref?: unknown }).$ref;
      // A bare `$ref` is compiled through the document itself, so its own refs keep resolving.
      validate =
        typeof ref === 'string' && Object.keys(schema as object).length === 1
          ? ajv.getSchema(`${documentId(this.provider)}${ref}`)
          : ajv.compile({
              ...(this.rebased(schema) as Json),
              $id: `${BASE}${this.provider}/${encodeURIComponent(key)}`,
            });
      if (!validate) throw new Error(`${this.provider}: cannot resolve ${String(ref)}`);
      this.compiled.set(cacheKey, validate);
    }
    return validate;
  }

  /** An inline schema's `#/components/...` refs, pointed at its document (it is compiled on its own). */
  private rebased(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((n) => this.rebased(n));
    if (!isObject(node)) return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [
        key,
        key === '$ref' && typeof value === 'string' && value.startsWith('#')
          ? `${documentId(this.provider)}${value}`
          : this.rebased(value),
      ]),
    );
  }

  /** A component schema by name (`CreateSpeechRequest`, `schemas_prediction_response`). */
  schema(name: string): ValidateFunction {
    return this.validator(`#/components/schemas/${name}`, { $ref: `#/components/schemas/${name}` }, false);
  }

  private mediaSchema(content: unknown, contentType: string | undefined): [string, unknown] | undefined {
    if (!isObject(content)) return undefined;
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    // The documents describe audio answers as `application/octet-stream`: bytes of any audio type.
    const binary =
      type !== '' && !/json|text\/event-stream/.test(type) ? content['application/octet-stream'] : undefined;
    const entry = content[type] ?? binary ?? (type === '' ? Object.values(content)[0] : undefined);
    if (!isObject(entry)) return undefined;
    return [type || Object.keys(content)[0]!, entry.schema];
  }

  checkRequest(op: Operation, request: RequestToCheck): ContractProblem[] {
    const body = this.operationObject(op).requestBody as Json | undefined;
    if (!body) return [];
    const content = body.content as Json;
    const found = this.mediaSchema(content, request.contentType);
    if (!found) {
      return [
        {
          pointer: '',
          keyword: 'contentType',
          message: `content type ${request.contentType ?? 'none'} is not one of ${Object.keys(content).join(', ')}`,
          params: { allowed: Object.keys(content) },
        },
      ];
    }
    const [type, schema] = found;
    const form = type === 'multipart/form-data';
    const validate = this.validator(`${op.operationId}:request:${type}`, schema, form);
    // Coercion rewrites the value it checks: the form's fields are checked as a copy.
    const value = form ? structuredClone(request.body ?? {}) : (request.body ?? {});
    return validate(value) ? [] : problems(validate.errors);
  }

  checkResponse(op: Operation, response: ResponseToCheck): ContractProblem[] {
    const responses = this.operationObject(op).responses as Json;
    const declared = responses[String(response.status)] ?? responses[`${String(response.status)[0]}XX`];
    if (!isObject(declared)) {
      return [
        {
          pointer: '',
          keyword: 'status',
          message: `status ${response.status} is not documented for ${op.operationId} (${Object.keys(responses).join(', ')})`,
          params: { status: response.status },
        },
      ];
    }
    if (!declared.content) return [];
    if (plainTextAnswer(op, response)) return [];
    const found = this.mediaSchema(declared.content, response.responseContentType);
    if (!found) {
      return [
        {
          pointer: '',
          keyword: 'contentType',
          message: `response content type ${response.responseContentType ?? 'none'} is not one of ${Object.keys(declared.content as Json).join(', ')}`,
          params: {},
        },
      ];
    }
    const [type, schema] = found;
    if (!/json/.test(type)) return []; // binary audio: its type is what the document says
    const validate = this.validator(`${op.operationId}:${response.status}:${type}`, schema, false);
    return validate(response.responseBody) ? [] : problems(validate.errors);
  }
}

/**
 * The transcription document offers `response_format` text, srt and vtt, which OpenAI answers as plain text,
 * but describes only its JSON and event-stream answers: a text answer to a request for one of those is
 * what the operation promises, not a violation.
 */
const PLAIN_TEXT_FORMATS: Record<string, readonly string[]> = {
  createTranscription: ['text', 'srt', 'vtt'],
  createTranslation: ['text', 'srt', 'vtt'],
};

function plainTextAnswer(op: Operation, response: ResponseToCheck): boolean {
  const formats = PLAIN_TEXT_FORMATS[op.operationId];
  const asked = (response.body as { response_format?: unknown } | undefined)?.response_format;
  return (
    formats !== undefined &&
    typeof asked === 'string' &&
    formats.includes(asked) &&
    /^text\/(plain|vtt)\b/.test(response.responseContentType ?? '')
  );
}

function problems(errors: ErrorObject[] | null | undefined): ContractProblem[] {
  return (errors ?? []).map((e) => ({
    pointer: e.instancePath,
    keyword: e.keyword,
    message: e.message ?? e.keyword,
    params: e.params as Record<string, unknown>,
    ...((e.parentSchema as { type?: unknown } | undefined)?.type === undefined
      ? {}
      : { schemaType: (e.parentSchema as { type?: unknown }).type }),
  }));
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function newAjv(coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    // The documents carry keywords of their own (x-oaiMeta, x-stainless-const, example): annotations.
    strict: false,
    validateFormats: true,
    // Each error carries the schema that refused it: a refusal says "integer" or "decimal" by the schema.
    verbose: true,
    ...(coerce ? { coerceTypes: 'array' as const } : {}),
  });
  addFormats(ajv);
  return ajv;
}

/** Both documents, loaded and checked against the sha256 files beside them. */
export class Contracts {
  private constructor(private readonly providers: Record<ProviderName, ProviderContract>) {}

  static load(dir = contractsDir()): Contracts {
    const json = newAjv(false);
    const form = newAjv(true);
    const providers = {} as Record<ProviderName, ProviderContract>;
    for (const provider of ['openai', 'replicate'] as const) {
      const path = join(dir, FILES[provider]);
      if (!existsSync(path)) {
        throw new Error(
          `the ${provider} API description ${path} is missing: the stand-in validates traffic against it ` +
            `(set REELFORGE_CONTRACTS_DIR to the folder holding ${Object.values(FILES).join(' and ')})`,
        );
      }
      const sumFile = `${path}.sha256`;
      if (existsSync(sumFile)) {
        const expected = readFileSync(sumFile, 'utf8').trim().split(/\s+/)[0];
        const actual = sha256(path);
        if (expected !== actual)
          throw new Error(`${path} does not match ${sumFile} (expected ${expected}, found ${actual})`);
      }
      const doc = toJsonSchema(JSON.parse(readFileSync(path, 'utf8'))) as Json;
      // Registered whole, under an id of its own, so `#/components/...` refs resolve inside it.
      for (const ajv of [json, form])
        ajv.addSchema({ ...doc, $id: documentId(provider) }, undefined, undefined, false);
      providers[provider] = new ProviderContract(provider, doc, json, form);
    }
    return new Contracts(providers);
  }

  operation(provider: ProviderName, method: string, path: string): Operation | { missing: 404 | 405 } {
    return this.providers[provider].operation(method, path);
  }

  /** Problems of a request body against its operation (none for an operation without a body). */
  checkRequest(op: Operation, request: RequestToCheck): ContractProblem[] {
    return this.providers[op.provider].checkRequest(op, request);
  }

  /** Problems of a response against what the operation documents for its status. */
  checkResponse(op: Operation, response: ResponseToCheck): ContractProblem[] {
    return this.providers[op.provider].checkResponse(op, response);
  }

  /** Problems of a value against one of a document's component schemas. */
  checkSchema(provider: ProviderName, name: string, value: unknown): ContractProblem[] {
    const validate = this.providers[provider].schema(name);
    return validate(value) ? [] : problems(validate.errors);
  }

  /** The document itself (converted), for reading what it says beyond schemas. */
  document(provider: ProviderName): Json {
    return this.providers[provider].doc;
  }
}

let shared: Contracts | undefined;

/** The documents, loaded once per process (a few hundred ms for OpenAI's 3 MB). */
export function contracts(): Contracts {
  shared ??= Contracts.load();
  return shared;
}

/**
 * A multipart form's fields as the object its schema describes: `key[]` and repeated keys are arrays, a
 * file is its name (the schema says `type: string, format: binary`).
 */
export function formFields(form: FormData): Json {
  const fields: Json = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key).map((v) => (typeof v === 'string' ? v : (v as File).name || 'file'));
    const name = key.endsWith('[]') ? key.slice(0, -2) : key;
    fields[name] = key.endsWith('[]') || values.length > 1 ? values : values[0];
  }
  return fields;
}
