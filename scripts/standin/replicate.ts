// Replicate's HTTP API, the parts the SDK calls: create a prediction by model (official models) or by
// version, get it, cancel it, and read the account's webhook signing secret. Bodies have already passed
// Replicate's API description (traffic.ts); what is checked here is what the description cannot say: which
// models exist, each model's own input schema, and that a webhook is an http(s) URL.
import type { ServerResponse } from 'node:http';
import type { ContractProblem, Operation } from './contracts.js';
import type { Fault } from './faults.js';
import { sendJson } from './http.js';
import type { Prediction } from './predictions.js';
import { replicateInvalidFields } from './refusals.js';
import type { ApiBody } from './traffic.js';
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
  // Replicate answers errors as RFC 7807 problem details, with that content type.
  sendJson(
    res,
    status,
    { title, detail, status, ...throttled, ...extra },
    { 'content-type': 'application/problem+json', ...(status === 429 ? { 'retry-after': '1' } : {}) },
  );
}

/** Replicate's 422 for a body its API description refuses (a missing `input`, an unknown key, ...). */
export function replicateInvalid(
  res: ServerResponse,
  problems: readonly ContractProblem[],
  body: unknown,
): void {
  inputInvalid(res, replicateInvalidFields(problems, body));
}

/** Replicate's 422 for an input its model's schema refuses: every problem, in `detail` and `invalid_fields`. */
function inputInvalid(res: ServerResponse, problems: readonly InvalidField[]): void {
  const detail = problems.map((p) => `- ${p.field}: ${p.description}`).join('\n') + '\n';
  replicateError(res, 422, 'Input validation failed', detail, { invalid_fields: problems });
}

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

type Event = 'start' | 'output' | 'logs' | 'completed';

interface CreateBody {
  version?: string;
  input: Record<string, unknown>;
  webhook?: string;
  webhook_events_filter?: Event[];
}

async function create(
  body: CreateBody,
  res: ServerResponse,
  ctx: RouteContext,
  model: string,
): Promise<void> {
  // By version, `owner/name:version` is accepted as well as the bare id.
  const version = model
    ? ''
    : ((body.version!.includes(':') ? body.version!.split(':')[1] : body.version) ?? '');
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
  if (model && !known.schema.official) {
    replicateError(
      res,
      404,
      'Not found',
      `${model} is not an official model: create its predictions with a version (POST /v1/predictions).`,
    );
    return;
  }
  const input = body.input;
  const problems = validateInput(known.schema, input);
  if (problems.length > 0) {
    inputInvalid(res, problems);
    return;
  }
  if (body.webhook !== undefined && !/^https?:\/\//.test(body.webhook)) {
    replicateError(res, 422, 'Invalid webhook', 'webhook must be an http(s) URL');
    return;
  }
  const prompt = typeof input.prompt === 'string' ? input.prompt : '';
  const kind = ctx.engine.kindFor(known.name, version, input);
  const faults = ctx.faults.take({
    target: 'replicate',
    kind,
    model: model || version,
    text: prompt,
    on: 'create',
  });
  if (await applyHttpFaults(faults, res, ctx, FAULT_ANSWERS)) return;
  const prediction = ctx.engine.create({
    // A prediction made by version still belongs to its model, and says so (`model` is never empty).
    model: known.name,
    version: model ? 'hidden' : version,
    input,
    faults,
    ...(body.webhook ? { webhook: body.webhook } : {}),
    ...(body.webhook_events_filter?.length ? { webhookEventsFilter: body.webhook_events_filter } : {}),
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
    // Rules name a prediction made by version by its version id, as at its create.
    model: prediction.version === 'hidden' ? prediction.model : prediction.version,
    text: '', // markers live in the prompt and apply to its create; rules with `on` apply here
    on,
  });
  if (await applyHttpFaults(faults, res, ctx, FAULT_ANSWERS)) return undefined;
  return prediction;
}

/** The Replicate operations the stand-in plays (by their operationId in Replicate's API description). */
export async function replicateRoute(
  op: Operation,
  body: ApiBody,
  res: ServerResponse,
  ctx: RouteContext,
): Promise<void> {
  const json = (body.kind === 'json' ? body.json : undefined) as CreateBody;
  const { model_owner: owner, model_name: name, prediction_id: id = '' } = op.pathParams;
  switch (op.operationId) {
    case 'models.predictions.create':
      return create(json, res, ctx, `${owner}/${name}`);
    case 'predictions.create':
      return create(json, res, ctx, '');
    case 'predictions.get': {
      const prediction = await existing(res, ctx, id, 'get');
      if (prediction) sendJson(res, 200, ctx.engine.view(prediction));
      return;
    }
    case 'predictions.cancel': {
      const prediction = await existing(res, ctx, id, 'cancel');
      if (prediction) sendJson(res, 200, ctx.engine.view(ctx.engine.cancel(prediction)));
      return;
    }
    case 'webhooks.default.secret.get':
      return sendJson(res, 200, { key: ctx.webhookSecret });
    default:
      replicateError(
        res,
        404,
        'Not found',
        `The stand-in does not play ${op.operationId} (${op.method} ${op.template}).`,
      );
  }
}
