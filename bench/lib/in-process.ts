// The functions bundle running whole inside the benchmark process, webhooks and task deliveries included:
// a local HTTP endpoint hands the stand-in's webhooks to the bundle's `replicateWebhook`, and Cloud Tasks
// enqueues made by the bundle run the target task function here, right away, instead of going to the tasks
// emulator. Every project write of the functions code then runs in this process, where it can be counted.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { loadBundle, type FunctionsBundle, type TaskFunction } from './bundle.js';

const require = createRequire(import.meta.url);

type WebhookHandler = (req: unknown, res: unknown) => Promise<void> | void;

/** What firebase-functions records about an onTaskDispatched function (its deploy manifest entry). */
interface TaskEndpoint {
  taskQueueTrigger?: {
    rateLimits?: { maxConcurrentDispatches?: number };
    retryConfig?: { maxAttempts?: number; minBackoffSeconds?: number };
  };
}

export interface InProcessFunctions {
  bundle: FunctionsBundle;
  /** The in-process webhook endpoint (what the bundle hands the stand-in). */
  webhookUrl: string;
  /** Task deliveries that threw (Cloud Tasks would retry them), other than a JobBusy hand-back. */
  taskErrors: string[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The little of express's request and response that the webhook handler and firebase-functions use. */
function expressLike(req: IncomingMessage, res: ServerResponse, rawBody: Buffer) {
  const url = new URL(req.url ?? '/', 'http://in-process');
  const request = Object.assign(req, {
    rawBody,
    body: rawBody,
    query: Object.fromEntries(url.searchParams),
    header: (name: string) => req.headers[name.toLowerCase()],
    get: (name: string) => req.headers[name.toLowerCase()],
  });
  const response = Object.assign(res, {
    status(code: number) {
      res.statusCode = code;
      return response;
    },
    send(body: string) {
      res.end(body);
      return response;
    },
  });
  return { request, response };
}

export async function startInProcessFunctions(
  env: Record<string, string> = {},
  bundlePath?: string,
): Promise<InProcessFunctions> {
  // The server starts first (the bundle must be told its port); requests arrive only once the bundle is loaded.
  const loaded: { bundle?: FunctionsBundle } = {};
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const handler = (loaded.bundle as unknown as { replicateWebhook: WebhookHandler }).replicateWebhook;
      const { request, response } = expressLike(req, res, raw);
      await handler(request, response);
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const bundle = loadBundle({ ...env, PUBLIC_FUNCTIONS_BASE_URL: `http://127.0.0.1:${port}` }, bundlePath);
  loaded.bundle = bundle;

  // Cloud Tasks, in-process: an enqueue runs the named task function soon after, honouring the queue's
  // maxConcurrentDispatches and retrying a task that throws after its minimum backoff, up to its attempts.
  const taskErrors: string[] = [];
  const { TaskQueue } = require('firebase-admin/functions') as {
    TaskQueue: {
      prototype: { enqueue: (data: unknown, opts?: unknown) => Promise<void>; functionName: string };
    };
  };
  const originalEnqueue = TaskQueue.prototype.enqueue;
  const functions = bundle as unknown as Record<
    string,
    (TaskFunction & { __endpoint?: TaskEndpoint }) | undefined
  >;
  const queues = new Map<string, { running: number; waiting: (() => void)[] }>();
  let closed = false;
  const dispatch = (
    name: string,
    target: TaskFunction & { __endpoint?: TaskEndpoint },
    data: unknown,
    attempt: number,
  ) => {
    const trigger = target.__endpoint?.taskQueueTrigger;
    const limit = trigger?.rateLimits?.maxConcurrentDispatches ?? 1000;
    const queue = queues.get(name) ?? { running: 0, waiting: [] };
    queues.set(name, queue);
    const start = () => {
      queue.running += 1;
      target
        .run({ data })
        .catch((err: unknown) => {
          // A delivery that met a live lease throws JobBusy (jobs/runner.ts) to be delivered again: the
          // hand-back by design (a webhook's resume arriving before the execution released its lease), not
          // an error.
          if (!(err instanceof Error && err.name === 'JobBusy')) {
            taskErrors.push(err instanceof Error ? err.message : String(err));
          }
          const maxAttempts = trigger?.retryConfig?.maxAttempts ?? 3;
          const backoffMs = (trigger?.retryConfig?.minBackoffSeconds ?? 10) * 1000;
          if (attempt + 1 < maxAttempts && !closed) {
            setTimeout(() => dispatch(name, target, data, attempt + 1), backoffMs).unref();
          }
        })
        .finally(() => {
          queue.running -= 1;
          queue.waiting.shift()?.();
        });
    };
    if (queue.running < limit) setImmediate(start);
    else queue.waiting.push(start);
  };
  TaskQueue.prototype.enqueue = function (this: { functionName: string }, data: unknown) {
    const name = this.functionName.split('/').pop() ?? '';
    // A deployed name `group-member` is a member of an exported group (the job task functions, `jobs-image`).
    const target = name
      .split('-')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], functions) as
      (TaskFunction & { __endpoint?: TaskEndpoint }) | undefined;
    if (!target) return Promise.reject(new Error(`no task function ${name} in the bundle`));
    dispatch(name, target, data, 0);
    return Promise.resolve();
  };

  return {
    bundle,
    webhookUrl: `http://127.0.0.1:${port}/replicateWebhook`,
    taskErrors,
    async close() {
      closed = true;
      TaskQueue.prototype.enqueue = originalEnqueue;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
