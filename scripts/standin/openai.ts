// POST /openai/v1/chat/completions: OpenAI's chat completion shape, with structured outputs
// (`response_format: { type: 'json_schema', json_schema: { name, schema } }`) answered by schema name.
import type { ServerResponse } from 'node:http';
import { ANSWERS, fromJsonSchema } from './answers.js';
import { contracts } from './contracts.js';
import type { ContractProblem } from './contracts.js';
import type { Fault } from './faults.js';
import { HttpError, sendJson } from './http.js';
import { createRng, randomId, seedFrom } from './random.js';
import type { RouteContext } from './routes.js';
import { applyHttpFaults, providerLatency } from './routes.js';
import { openaiRefusal } from './refusals.js';
import type { ApiBody } from './traffic.js';

interface ChatRequest {
  model?: unknown;
  messages?: unknown;
  response_format?: { type?: unknown; json_schema?: { name?: unknown; schema?: unknown } };
}

function messageText(messages: unknown[]): string {
  return messages
    .map((m) => {
      const content = (m as { content?: unknown }).content;
      if (typeof content === 'string') return content;
      if (Array.isArray(content)) {
        return content
          .map((part) =>
            typeof part === 'object' && part !== null ? String((part as { text?: unknown }).text ?? '') : '',
          )
          .join('');
      }
      return '';
    })
    .join('\n');
}

export function openaiError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null,
): void {
  sendJson(
    res,
    status,
    { error: { message, type, param: null, code } },
    status === 429 ? { 'retry-after': '1' } : {},
  );
}

/** OpenAI's error answers to the stand-in's HTTP faults (chat and audio routes alike). */
export const FAULT_ANSWERS: Partial<Record<Fault, (res: ServerResponse) => void>> = {
  http_500: (res) =>
    openaiError(res, 500, 'The server had an error while processing your request.', 'server_error', null),
  http_429: (res) =>
    openaiError(
      res,
      429,
      'Rate limit reached for requests (stand-in fault).',
      'requests',
      'rate_limit_exceeded',
    ),
  http_422: (res) =>
    openaiError(
      res,
      422,
      'Invalid request: the stand-in was told to refuse it.',
      'invalid_request_error',
      null,
    ),
  insufficient_quota: (res) =>
    openaiError(
      res,
      429,
      'You exceeded your current quota, please check your plan and billing details.',
      'insufficient_quota',
      'insufficient_quota',
    ),
};

/**
 * The chat completion parameters OpenAI's API description names (every property of the request schema,
 * through its `allOf` and `$ref`s). The description leaves the object open, but the API refuses any other
 * top-level key with "Unrecognized request argument supplied".
 */
function chatParams(): Set<string> {
  const schemas = (contracts().document('openai').components as { schemas: Record<string, unknown> }).schemas;
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const schema = node as { $ref?: string; allOf?: unknown[]; properties?: Record<string, unknown> };
    if (schema.$ref) visit(schemas[schema.$ref.replace('#/components/schemas/', '')]);
    for (const part of schema.allOf ?? []) visit(part);
    for (const name of Object.keys(schema.properties ?? {})) names.add(name);
  };
  visit(schemas.CreateChatCompletionRequest);
  return names;
}

let knownChatParams: Set<string> | undefined;
const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'];
/** Chat models the stand-in answers as; other names get the API's model_not_found. */
const CHAT_MODEL = /^(gpt-|o[1-9]|chatgpt-)/;

/** Where a strict json_schema breaks OpenAI's rules: every object closed, every property required. */
function strictSchemaProblem(schema: unknown, path: string): string | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const node = schema as Record<string, unknown>;
  if (node.type === 'object' || node.properties !== undefined) {
    if (node.additionalProperties !== false)
      return `In context=(${path}), 'additionalProperties' is required to be supplied and to be false.`;
    const keys = Object.keys((node.properties ?? {}) as object);
    const required = Array.isArray(node.required) ? node.required : [];
    const missing = keys.find((k) => !required.includes(k));
    if (missing)
      return `In context=(${path}), 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
  }
  for (const key of ['properties', '$defs', 'definitions']) {
    const children = node[key];
    if (typeof children === 'object' && children !== null) {
      for (const [name, child] of Object.entries(children)) {
        const problem = strictSchemaProblem(child, `${path}, '${key}', '${name}'`);
        if (problem) return problem;
      }
    }
  }
  for (const key of ['items', 'anyOf']) {
    const children = node[key];
    for (const child of Array.isArray(children) ? children : children ? [children] : []) {
      const problem = strictSchemaProblem(child, `${path}, '${key}'`);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** What the real API answers 400 (or 404) for, before it would spend a token. */
function refusal(
  body: ChatRequest & Record<string, unknown>,
  problems: readonly ContractProblem[],
): { status: number; message: string; param: string | null; code: string | null } | undefined {
  knownChatParams ??= chatParams();
  const params = knownChatParams;
  const unknown = Object.keys(body).find((key) => !params.has(key));
  if (unknown)
    return {
      status: 400,
      message: `Unrecognized request argument supplied: ${unknown}`,
      param: null,
      code: null,
    };
  for (const [i, m] of (Array.isArray(body.messages) ? body.messages : []).entries()) {
    const role = (m as { role?: unknown }).role;
    if (typeof role !== 'string' || !ROLES.includes(role)) {
      return {
        status: 400,
        message: `Invalid value: '${String(role)}'. Supported values are: ${ROLES.map((r) => `'${r}'`).join(', ')}.`,
        param: `messages[${i}].role`,
        code: 'invalid_value',
      };
    }
  }
  // Then what the API description refuses: out-of-range numbers, wrong types, unknown enum values.
  if (problems.length > 0) return { status: 400, ...openaiRefusal(problems, body) };
  if (typeof body.model === 'string' && !CHAT_MODEL.test(body.model)) {
    return {
      status: 404,
      message: `The model \`${body.model}\` does not exist or you do not have access to it.`,
      param: null,
      code: 'model_not_found',
    };
  }
  const format = body.response_format;
  if (format?.type === 'json_schema') {
    const spec = format.json_schema as { name?: unknown; schema?: unknown; strict?: unknown } | undefined;
    if (typeof spec?.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) {
      return {
        status: 400,
        message: "Invalid 'response_format.json_schema.name': string does not match pattern.",
        param: 'response_format.json_schema.name',
        code: 'invalid_value',
      };
    }
    if (spec.strict === true) {
      const problem = strictSchemaProblem(spec.schema, 'root');
      if (problem)
        return {
          status: 400,
          message: `Invalid schema for response_format '${spec.name}': ${problem}`,
          param: 'response_format',
          code: null,
        };
    }
  }
  return undefined;
}

export async function chatCompletions(
  request: ApiBody,
  res: ServerResponse,
  ctx: RouteContext,
  problems: readonly ContractProblem[],
): Promise<void> {
  // Open from its arrival until its connection closes (answered, or the client hung up, e.g. an aborted
  // call): what a test of cancel reads to see that no canceled call runs on beside the next one.
  const { stats } = ctx;
  stats.openCompletions += 1;
  stats.maxOpenCompletions = Math.max(stats.maxOpenCompletions, stats.openCompletions);
  res.once('close', () => {
    stats.openCompletions -= 1;
  });
  if (request.kind !== 'json' || typeof request.json !== 'object' || request.json === null) {
    throw new HttpError(400, 'the body must be a JSON object');
  }
  const body = request.json as ChatRequest & Record<string, unknown>;
  const refused = refusal(body, problems);
  if (refused) {
    sendJson(res, refused.status, {
      error: {
        message: refused.message,
        type: 'invalid_request_error',
        param: refused.param,
        code: refused.code,
      },
    });
    return;
  }
  const text = messageText(body.messages as unknown[]);
  const format = body.response_format;
  const schemaName =
    format?.type === 'json_schema' && typeof format.json_schema?.name === 'string'
      ? format.json_schema.name
      : undefined;
  const model = String(body.model);
  const faults = ctx.faults.take({ target: 'openai', kind: schemaName, model, text });
  if (await applyHttpFaults(faults, res, ctx, FAULT_ANSWERS)) return;
  ctx.stats.chatCompletions += 1;
  await providerLatency(ctx, 'chat');

  const rng = createRng(seedFrom(ctx.config.seed, model, schemaName ?? 'text', text));
  let content: string;
  if (schemaName !== undefined) {
    const answer = ANSWERS[schemaName];
    const value = answer
      ? answer(text, rng)
      : fromJsonSchema((format?.json_schema?.schema ?? {}) as object, rng);
    content = JSON.stringify(value);
  } else {
    content = `Stand-in answer to: ${text.slice(0, 200)}`;
  }

  let finishReason = 'stop';
  let message: Record<string, unknown> = { role: 'assistant', content, refusal: null, annotations: [] };
  if (faults.includes('refused')) {
    message = {
      role: 'assistant',
      content: null,
      refusal: "I'm sorry, but I can't help with that request.",
      annotations: [],
    };
  } else if (faults.includes('truncated')) {
    finishReason = 'length';
    message = { ...message, content: content.slice(0, Math.floor(content.length / 2)) };
  }
  const promptTokens = Math.ceil(text.length / 4);
  const completionTokens = Math.ceil(String(message.content ?? message.refusal).length / 4);
  sendJson(res, 200, {
    id: `chatcmpl-${randomId(24)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
    system_fingerprint: 'fp_standin',
  });
}

/** GET /openai/v1/models: the chat model the stand-in answers as (the SDKs' sanity checks list models). */
export async function listModels(_body: ApiBody, res: ServerResponse): Promise<void> {
  sendJson(res, 200, {
    object: 'list',
    data: [{ id: 'gpt-4.1-mini', object: 'model', created: 1744316542, owned_by: 'system' }],
  });
}
