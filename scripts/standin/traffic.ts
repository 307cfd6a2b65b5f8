// Every API request the stand-in receives is checked against its provider's API description before a
// route sees it, and every answer it gives is checked on its way out: a refusal answers in the
// provider's shape (refusals.ts), and an answer the description does not allow is recorded as a violation
// (GET /__standin/contracts), which the tests require to stay empty.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ContractProblem, Contracts, Operation, ProviderName } from './contracts.js';
import { formFields } from './contracts.js';
import { HttpError } from './http.js';

/** An answer of the stand-in that its provider's API description does not allow. */
export interface ContractViolation {
  provider: ProviderName;
  operation: string;
  method: string;
  path: string;
  status: number;
  problems: ContractProblem[];
}

/** A request body as read once: JSON parsed, or a multipart form (with its fields for the validator). */
export type ApiBody = { kind: 'json'; json: unknown } | { kind: 'form'; form: FormData };

const JSON_LIMIT = 5 * 1024 * 1024;
const FORM_LIMIT = 25 * 1024 * 1024;

async function readAll(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `request body too large (${limit / 1024 / 1024} MB at most)`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readApiBody(req: IncomingMessage): Promise<ApiBody> {
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://standin/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: await readAll(req, FORM_LIMIT),
    }).formData();
    return { kind: 'form', form };
  }
  const text = (await readAll(req, JSON_LIMIT)).toString('utf8');
  if (text.trim() === '') return { kind: 'json', json: undefined };
  try {
    return { kind: 'json', json: JSON.parse(text) as unknown };
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

/** The body as its schema sees it. */
export function validatedValue(body: ApiBody): unknown {
  return body.kind === 'form' ? formFields(body.form) : body.json;
}

/** Largest answer kept to check (a prediction with megabytes of logs is still checked whole). */
const RESPONSE_LIMIT = 16 * 1024 * 1024;

/** Problems of an error answer: OpenAI's `ErrorResponse`, Replicate's problem details. */
function errorProblems(
  contracts: Contracts,
  provider: ProviderName,
  status: number,
  body: unknown,
): ContractProblem[] {
  if (provider === 'openai') return contracts.checkSchema('openai', 'ErrorResponse', body);
  const problem = body as { detail?: unknown; status?: unknown; title?: unknown };
  const problems: ContractProblem[] = [];
  if (typeof problem?.detail !== 'string')
    problems.push({ pointer: '/detail', keyword: 'type', message: 'must be string', params: {} });
  if (problem?.status !== undefined && problem.status !== status)
    problems.push({ pointer: '/status', keyword: 'const', message: `must be ${status}`, params: {} });
  return problems;
}

/**
 * Checks the answer written to `res` once it is sent, and hands any problems to `record`. Statuses the
 * operation documents are checked against it; an error status it does not list, against the provider's
 * error shape.
 */
export function watchResponse(
  res: ServerResponse,
  contracts: Contracts,
  op: Operation,
  path: string,
  record: (violation: ContractViolation) => void,
  /** The request's body as validated, set once read (what was asked decides some answers' shape). */
  asked: { body?: unknown },
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: unknown): void => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size <= RESPONSE_LIMIT) chunks.push(buffer);
  };
  // Headers given to writeHead are not readable back through getHeader: keep the content type here.
  let contentType = '';
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    const headers = rest.find((r) => typeof r === 'object' && r !== null) as
      Record<string, unknown> | undefined;
    const type = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    if (type !== undefined) contentType = String(type);
    return writeHead(status, ...rest);
  }) as typeof res.writeHead;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk);
    return write(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk);
    return end(chunk, ...rest);
  }) as typeof res.end;
  res.on('finish', () => {
    if (size > RESPONSE_LIMIT) return;
    const status = res.statusCode;
    contentType ||= String(res.getHeader('content-type') ?? '');
    let body: unknown;
    if (/json/.test(contentType)) {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        record({
          ...where(op, path, status),
          problems: [{ pointer: '', keyword: 'json', message: 'not JSON', params: {} }],
        });
        return;
      }
    }
    const problems =
      status >= 400
        ? errorProblems(contracts, op.provider, status, body)
        : contracts.checkResponse(op, {
            method: op.method,
            path,
            body: asked.body,
            status,
            responseContentType: contentType,
            responseBody: body,
          });
    if (problems.length > 0) record({ ...where(op, path, status), problems });
  });
}

function where(op: Operation, path: string, status: number) {
  return { provider: op.provider, operation: op.operationId, method: op.method, path, status };
}
