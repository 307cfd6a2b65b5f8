// Replicate's HTTP API, the parts the SDK calls: create a prediction by model (official models) or by
// version, get it, cancel it, and read the account's webhook signing secret.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from './faults.js';
import { HttpError, readJson, sendJson } from './http.js';
import type { Prediction } from './predictions.js';
import { schemaFor, validateInput, type InvalidField } from '../../functions/src/providers/models.js';
import type { RouteContext } from './routes.js';
import { applyHttpFaults } from './routes.js';

export function replicateError(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
): void {
  // Replicate's throttling answer says in its body, too, when to come back.
  const throttled = status === 429 ? { retry_after: 1 } : {};
  sendJson(
    res,
    status,
    { title, detail, status, ...throttled, ...extra },
    status === 429 ? { 'retry-after': '1' } : {},
  );
}

/** Replicate's 422 for an input its model's schema refuses: every problem, in `detail` and `invalid_fields`. */
function inputInvalid(res: ServerResponse, problems: InvalidField[]): void {
  const detail = problems.map((p) => `- ${p.field}: ${p.description}`).join('\n') + '\n';
  replicateError(res, 422, 'Input validation failed', detail, { invalid_fields: problems });
}

/** The body fields a create takes; anything else at the top level is refused like Replicate does. */
const CREATE_FIELDS = ['input', 'webhook', 'webhook_events_filter', 'stream'];

const FAULT_ANSWERS: Partial<Record<Fault, (res: ServerResponse) => void>> = {
  http_500: (res) =>
    replicateError(res, 500, 'Internal Server Error', 'Something went wrong (stand-in fault).'),
  http_429: (res) =>
    replicateError(res, 429, 'Too Many Requests', 'Request was throttled. Expected available in 1 second.'),
  http_422: (res) =>
    replicateError(
      res,
      422,
      'Input validation failed',
      'input.prompt: the stand-in was told to refuse this input',
    ),
};

const EVENTS = ['start', 'output', 'logs', 'completed'] as const;
type Event = (typeof EVENTS)[number];

interface CreateBody {
  version?: unknown;
  input?: unknown;
  webhook?: unknown;
  webhook_events_filter?: unknown;
}

async function create(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RouteContext,
  model: string,
  versionInPath?: string,
): Promise<void> {
  const body = (await readJson(req)) as CreateBody;
  let version = versionInPath ?? '';
  if (!model) {
    if (typeof body.version !== 'string' || body.version === '') {
      throw new HttpError(422, 'version is required');
    }
    // `owner/name:version` is accepted by the API too.
    version = body.version.includes(':') ? (body.version.split(':')[1] ?? '') : body.version;
  }
  const allowed = model ? CREATE_FIELDS : ['version', ...CREATE_FIELDS];
  const extra = Object.keys(body).filter((key) => !allowed.includes(key));
  if (extra.length > 0) {
    replicateError(res, 422, 'Invalid request', `Additional property ${extra[0]} is not allowed`);
    return;
  }
  // Which model runs: by name only an official model; by version only a version that exists.
  const known = schemaFor(version || model);
  if (!known || (model && known.name !== model)) {
    if (version) {
      replicateError(
        res,
        422,
        'Invalid version or not permitted',
        'The specified version does not exist (or perhaps you do not have permission to use it?)',
      );
    } else {
      replicateError(res, 404, 'Not found', 'The requested resource could not be found.');
    }
    return;
  }
  if (model && !versionInPath && !known.schema.official) {
    replicateError(
      res,
      404,
      'Not found',
      `${model} is not an official model: create its predictions with a version (POST /v1/predictions).`,
    );
    return;
  }
  if (typeof body.input !== 'object' || body.input === null || Array.isArray(body.input)) {
    replicateError(res, 422, 'Input validation failed', 'input is required and must be an object');
    return;
  }
  const input = body.input as Record<string, unknown>;
  const problems = validateInput(known.schema, input);
  if (problems.length > 0) {
    inputInvalid(res, problems);
    return;
  }
  let webhook: string | undefined;
  if (body.webhook !== undefined) {
    if (typeof body.webhook !== 'string' || !/^https?:\/\//.test(body.webhook)) {
      replicateError(res, 422, 'Invalid webhook', 'webhook must be an http(s) URL');
      return;
    }
    webhook = body.webhook;
  }
  let filter: Event[] | undefined;
  if (body.webhook_events_filter !== undefined) {
    const raw = body.webhook_events_filter;
    if (!Array.isArray(raw) || !raw.every((e) => (EVENTS as readonly unknown[]).includes(e))) {
      replicateError(res, 422, 'Invalid webhook_events_filter', `events must be among ${EVENTS.join(', ')}`);
      return;
    }
    filter = raw as Event[];
  }
  const prompt = typeof input.prompt === 'string' ? input.prompt : '';
  const kind = ctx.engine.kindFor(model, version, input);
  const faults = ctx.faults.take({
    target: 'replicate',
    kind,
    model: model || version,
    text: prompt,
    on: 'create',
  });
  if (await applyHttpFaults(faults, res, ctx, FAULT_ANSWERS)) return;
  const prediction = ctx.engine.create({
    model,
    version: version || 'hidden',
    input,
    faults,
    ...(webhook ? { webhook } : {}),
    ...(filter ? { webhookEventsFilter: filter } : {}),
  });
  sendJson(res, 201, ctx.engine.view(prediction));
}

async function existing(
  res: ServerResponse,
  ctx: RouteContext,
  id: string,
  on: 'get' | 'cancel',
): Promise<Prediction | undefined> {
  const prediction = ctx.engine.get(id);
  if (!prediction) {
    replicateError(res, 404, 'Not found', 'The requested prediction was not found.');
    return undefined;
  }
  const faults = ctx.faults.take({
    target: 'replicate',
    kind: prediction.kind,
    model: prediction.model || prediction.version,
    text: '', // markers live in the prompt and apply to its create; rules with `on` apply here
    on,
  });
  if (await applyHttpFaults(faults, res, ctx, FAULT_ANSWERS)) return undefined;
  return prediction;
}

/** Routes under /replicate/v1; `path` is what follows that prefix. */
export async function replicateRoute(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RouteContext,
  path: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  let match: RegExpExecArray | null;
  if (method === 'POST' && (match = /^\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(path))) {
    await create(req, res, ctx, `${match[1]}/${match[2]}`);
  } else if (
    method === 'POST' &&
    (match = /^\/models\/([^/]+)\/([^/]+)\/versions\/([^/]+)\/predictions$/.exec(path))
  ) {
    await create(req, res, ctx, `${match[1]}/${match[2]}`, match[3]);
  } else if (method === 'POST' && path === '/predictions') {
    await create(req, res, ctx, '');
  } else if (method === 'GET' && (match = /^\/predictions\/([^/]+)$/.exec(path))) {
    const prediction = await existing(res, ctx, match[1] ?? '', 'get');
    if (prediction) sendJson(res, 200, ctx.engine.view(prediction));
  } else if (method === 'POST' && (match = /^\/predictions\/([^/]+)\/cancel$/.exec(path))) {
    const prediction = await existing(res, ctx, match[1] ?? '', 'cancel');
    if (prediction) sendJson(res, 200, ctx.engine.view(ctx.engine.cancel(prediction)));
  } else if (method === 'GET' && path === '/webhooks/default/secret') {
    sendJson(res, 200, { key: ctx.webhookSecret });
  } else {
    replicateError(res, 404, 'Not found', `No route for ${method} ${path} in the stand-in.`);
  }
}
