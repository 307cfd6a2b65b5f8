// The provider stand-in: one local HTTP server that speaks the parts of OpenAI's and Replicate's APIs the
// SDKs call, makes real media, and can be told to fail. Every API request is checked against the
// provider's published API description (contracts/, contracts.ts) before its route runs and refused
// in the provider's own shape when the description refuses it; every answer is checked on its way out.
// Routes:
//   POST /openai/v1/chat/completions                      structured-output answers by schema name
//   POST /openai/v1/audio/speech                          real speech (eSpeak-NG), word times inside the WAV
//   POST /openai/v1/audio/transcriptions                  word timestamps of speech it made
//   GET  /openai/v1/models                                 the model list (SDK sanity checks)
//   POST /replicate/v1/models/{owner}/{name}/predictions   create by model
//   POST /replicate/v1/predictions                         create by version
//   GET  /replicate/v1/predictions/{id}                    read
//   POST /replicate/v1/predictions/{id}/cancel             cancel
//   GET  /replicate/v1/webhooks/default/secret             webhook signing secret
//   GET  /files/{prediction}/{name}                        outputs, 404 once expired
//   POST /__standin/faults  {rule | rules: [...]}           add fault rules;  GET lists;  DELETE clears
//   POST /__standin/config  {predictionSeconds, ...}        change tunables (holdPredictions: true keeps
//                                                          predictions running until set false; latencies:
//                                                          per-kind time distributions, latency.ts);  GET reads
//   GET  /__standin/stats                                  counters;  DELETE resets
//   GET  /__standin/contracts                              answers outside the API descriptions; DELETE clears
//   GET  /__standin/health                                 readiness
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyConfig, DEFAULT_CONFIG } from './config.js';
import type { StandinConfig } from './config.js';
import { FAULT_HELP, FaultBook, parseRule } from './faults.js';
import { FileStore } from './files.js';
import { bearer, HttpError, readJson, sendJson } from './http.js';
import { speechRoute, transcriptionRoute } from './audio.js';
import { contracts as loadContracts, type Operation } from './contracts.js';
import { chatCompletions, listModels, openaiError } from './openai.js';
import { PredictionEngine } from './predictions.js';
import { replicateError, replicateInvalid, replicateRoute } from './replicate.js';
import type { OpenaiRoute, RouteContext } from './routes.js';
import { refuseOpenai } from './routes.js';
import { newStats } from './stats.js';
import type { StandinStats } from './stats.js';
import type { ContractViolation } from './traffic.js';
import { readApiBody, validatedValue, watchResponse } from './traffic.js';

/** Replicate's format (`whsec_` + base64 key); fixed so a restarted stand-in signs the same way. */
export const DEFAULT_WEBHOOK_SECRET = `whsec_${Buffer.from('reelforge-standin-webhook-secret!').toString('base64')}`;

export interface StandinOptions {
  /** 0 = a random free port. Default 9700. */
  port?: number;
  host?: string;
  webhookSecret?: string;
  predictionSeconds?: number;
  outputTtlSeconds?: number;
  seed?: number;
  bigOutputBytes?: number;
  /** Base of the URLs the stand-in hands out; default http://{host}:{port}. */
  publicUrl?: string;
  /** When set, OpenAI requests must bear exactly this key; otherwise any non-empty key is accepted. */
  openaiApiKey?: string;
  /** When set, Replicate requests must bear exactly this token; otherwise any non-empty token. */
  replicateApiToken?: string;
}

export interface Standin {
  url: string;
  port: number;
  openaiBaseUrl: string;
  replicateBaseUrl: string;
  webhookSecret: string;
  /** Live: changes apply to the next prediction or request. */
  config: StandinConfig;
  /** Live counters (the same as GET /__standin/stats). */
  stats: StandinStats;
  faults: FaultBook;
  /** Answers (and webhook bodies) the providers' API descriptions do not allow; tests expect none. */
  violations: ContractViolation[];
  close(): Promise<void>;
}

/** The OpenAI operations the stand-in plays; any other documented one answers 404 like an unknown URL. */
const OPENAI_ROUTES: Record<string, OpenaiRoute> = {
  createChatCompletion: chatCompletions,
  createSpeech: speechRoute,
  createTranscription: transcriptionRoute,
  listModels,
};

export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  const host = options.host ?? '127.0.0.1';
  const files = await FileStore.create();
  const closing = new AbortController();
  const config: StandinConfig = {
    ...DEFAULT_CONFIG,
    modelKinds: { ...DEFAULT_CONFIG.modelKinds },
    latencies: {},
    publicUrl: '',
    ...(options.predictionSeconds === undefined ? {} : { predictionSeconds: options.predictionSeconds }),
    ...(options.outputTtlSeconds === undefined ? {} : { outputTtlSeconds: options.outputTtlSeconds }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.bigOutputBytes === undefined ? {} : { bigOutputBytes: options.bigOutputBytes }),
  };
  let stats = newStats();
  const webhookSecret = options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET;
  const faults = new FaultBook();
  // Loaded before listening: a stand-in that cannot check traffic against the documents does not start.
  const contracts = loadContracts();
  const violations: ContractViolation[] = [];
  const recordViolation = (violation: ContractViolation): void => {
    violations.push(violation);
    process.stderr.write(
      `standin: ${violation.method} ${violation.path} answered ${violation.status} outside the ${violation.provider} ` +
        `API description: ${violation.problems.map((p) => `${p.pointer || '(body)'} ${p.message}`).join('; ')}\n`,
    );
  };
  const engine = new PredictionEngine({
    contracts,
    recordViolation,
    config,
    files,
    get stats() {
      return stats;
    },
    webhookSecret,
    closing: closing.signal,
  });
  const hung = new Set<ServerResponse>();
  const context = (): RouteContext => ({
    config,
    faults,
    stats,
    engine,
    files,
    webhookSecret,
    closing: closing.signal,
    hung,
  });

  function authorised(req: IncomingMessage, expected: string | undefined): boolean {
    const key = bearer(req);
    return key !== undefined && (expected === undefined || key === expected);
  }

  /**
   * What the providers were sent (every prompt, every input), as text, for the tests that prove something
   * never reaches a provider (the disclaimer). Uploaded bytes are left out; the log keeps the latest
   * REQUEST_LOG_MAX requests.
   */
  const requestLog: { path: string; body: string }[] = [];
  const REQUEST_LOG_MAX = 2000;
  function logRequest(path: string, body: unknown) {
    const text = JSON.stringify(body ?? null, (_key, value: unknown) =>
      value instanceof Uint8Array ||
      (typeof value === 'object' &&
        value !== null &&
        'type' in value &&
        (value as { type?: unknown }).type === 'Buffer')
        ? '<bytes>'
        : value,
    );
    requestLog.push({ path, body: text.slice(0, 100_000) });
    if (requestLog.length > REQUEST_LOG_MAX) requestLog.splice(0, requestLog.length - REQUEST_LOG_MAX);
  }

  async function admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (path === '/health') {
      sendJson(res, 200, { ok: true });
    } else if (path === '/faults' && method === 'POST') {
      const body = (await readJson(req)) as { rules?: unknown };
      const list = Array.isArray(body.rules) ? body.rules : [body];
      const parsed = list.map(parseRule);
      const bad = parsed.find((rule): rule is string => typeof rule === 'string');
      if (bad !== undefined) throw new HttpError(400, bad);
      const added = parsed.map((rule) => faults.add(rule as Exclude<typeof rule, string>));
      sendJson(res, 200, { added, rules: faults.list() });
    } else if (path === '/faults' && method === 'GET') {
      sendJson(res, 200, { rules: faults.list(), faults: FAULT_HELP });
    } else if (path === '/faults' && method === 'DELETE') {
      faults.clear();
      sendJson(res, 200, { rules: [] });
    } else if (path === '/config' && method === 'POST') {
      const patch = await readJson(req);
      const error = applyConfig(config, patch);
      if (error) throw new HttpError(400, error);
      // New latencies or a new seed start their draws afresh, so a run that sets them is repeatable.
      if (typeof patch === 'object' && patch !== null && ('latencies' in patch || 'seed' in patch))
        engine.reseedLatencies();
      engine.releaseHeld();
      sendJson(res, 200, config);
    } else if (path === '/config' && method === 'GET') {
      sendJson(res, 200, config);
    } else if (path === '/contracts' && method === 'GET') {
      sendJson(res, 200, { violations });
    } else if (path === '/contracts' && method === 'DELETE') {
      violations.length = 0;
      sendJson(res, 200, { violations });
    } else if (path === '/requests' && method === 'GET') {
      sendJson(res, 200, { requests: requestLog });
    } else if (path === '/requests' && method === 'DELETE') {
      requestLog.length = 0;
      sendJson(res, 200, { requests: [] });
    } else if (path === '/stats' && method === 'GET') {
      sendJson(res, 200, stats);
    } else if (path === '/stats' && method === 'DELETE') {
      stats = newStats();
      sendJson(res, 200, stats);
    } else {
      throw new HttpError(404, `no admin route ${method} ${path}`);
    }
  }

  /**
   * A request to an operation of a provider's document: its answer is watched against the document as it
   * goes out, its body read and checked against the operation's request schema (both providers alike).
   */
  async function checkedRequest(req: IncomingMessage, res: ServerResponse, op: Operation, apiPath: string) {
    const asked: { body?: unknown } = {};
    watchResponse(res, contracts, op, apiPath, recordViolation, asked);
    const body = await readApiBody(req);
    asked.body = validatedValue(body);
    logRequest(apiPath, asked.body);
    const problems = contracts.checkRequest(op, {
      method: op.method,
      path: apiPath,
      contentType: req.headers['content-type'] ?? '',
      body: asked.body,
    });
    return { body, checked: asked.body, problems };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://standin').pathname;
    stats.requests.total += 1;
    if (path.startsWith('/openai/v1/')) {
      stats.requests.openai += 1;
      const apiPath = path.slice('/openai/v1'.length);
      const op = contracts.operation('openai', req.method ?? 'GET', apiPath);
      const handler = 'missing' in op ? undefined : OPENAI_ROUTES[op.operationId];
      if (!authorised(req, options.openaiApiKey)) {
        openaiError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
      } else if ('missing' in op || !handler) {
        openaiError(
          res,
          404,
          `Unknown request URL: ${req.method} ${path}.`,
          'invalid_request_error',
          'unknown_url',
        );
      } else {
        const { body, checked, problems } = await checkedRequest(req, res, op, apiPath);
        // Chat checks its arguments' names first, in its own words; the audio routes take the schema's.
        if (problems.length > 0 && op.operationId !== 'createChatCompletion') {
          refuseOpenai(res, problems, checked);
        } else {
          await handler(body, res, context(), problems);
        }
      }
    } else if (path.startsWith('/replicate/v1/')) {
      stats.requests.replicate += 1;
      const apiPath = path.slice('/replicate/v1'.length);
      const op = contracts.operation('replicate', req.method ?? 'GET', apiPath);
      if (!authorised(req, options.replicateApiToken)) {
        replicateError(res, 401, 'Unauthenticated', 'You did not pass a valid authentication token');
      } else if ('missing' in op) {
        replicateError(res, 404, 'Not found', `No route for ${req.method} ${apiPath} in Replicate's API.`);
      } else {
        const { body, checked, problems } = await checkedRequest(req, res, op, apiPath);
        if (problems.length > 0) replicateInvalid(res, problems, checked);
        else await replicateRoute(op, body, res, context());
      }
    } else if (path.startsWith('/files/') && (req.method === 'GET' || req.method === 'HEAD')) {
      stats.requests.files += 1;
      await files.serve(decodeURIComponent(path.slice('/files/'.length)), req, res, stats);
    } else if (path.startsWith('/__standin/')) {
      stats.requests.admin += 1;
      await admin(req, res, path.slice('/__standin'.length));
    } else if (path === '/') {
      stats.requests.other += 1;
      sendJson(res, 200, { ok: true, service: 'reelforge provider stand-in' });
    } else {
      stats.requests.other += 1;
      throw new HttpError(404, `no route ${req.method} ${path}`);
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      if (status === 500) process.stderr.write(`standin: ${req.method} ${req.url}: ${message}\n`);
      const path = req.url ?? '';
      if (path.startsWith('/openai/')) openaiError(res, status, message, 'invalid_request_error', null);
      else if (path.startsWith('/replicate/'))
        replicateError(res, status, status === 422 ? 'Input validation failed' : 'Error', message);
      else sendJson(res, status, { error: message });
    });
  });
  // Long downloads (the 1 GiB benchmark) must not be cut by Node's default request timeout.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9700, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  config.publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    openaiBaseUrl: `${url}/openai/v1`,
    replicateBaseUrl: `${url}/replicate/v1`,
    webhookSecret,
    config,
    get stats() {
      return stats;
    },
    faults,
    violations,
    close() {
      closed ??= (async () => {
        closing.abort();
        engine.close();
        for (const res of hung) res.destroy();
        hung.clear();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
        await files.close();
      })();
      return closed;
    },
  };
}
