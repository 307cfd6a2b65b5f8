// POST /openai/v1/chat/completions: OpenAI's chat completion shape, with structured outputs
// (`response_format: { type: 'json_schema', json_schema: { name, schema } }`) answered by schema name.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ANSWERS, fromJsonSchema } from './answers.js';
import type { Fault } from './faults.js';
import { HttpError, readJson, sendJson } from './http.js';
import { createRng, randomId, seedFrom } from './random.js';
import type { RouteContext } from './routes.js';
import { applyHttpFaults } from './routes.js';

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
};

export async function chatCompletions(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RouteContext,
): Promise<void> {
  const body = (await readJson(req)) as ChatRequest;
  if (typeof body.model !== 'string' || !Array.isArray(body.messages) || body.messages.length === 0) {
    throw new HttpError(400, 'model and messages are required');
  }
  const text = messageText(body.messages);
  const format = body.response_format;
  const schemaName =
    format?.type === 'json_schema' && typeof format.json_schema?.name === 'string'
      ? format.json_schema.name
      : undefined;
  const faults = ctx.faults.take({ target: 'openai', kind: schemaName, model: body.model, text });
  if (await applyHttpFaults(faults, res, ctx, FAULT_ANSWERS)) return;
  ctx.stats.chatCompletions += 1;

  const rng = createRng(seedFrom(ctx.config.seed, body.model, schemaName ?? 'text', text));
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
    model: body.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
    system_fingerprint: 'fp_standin',
  });
}
