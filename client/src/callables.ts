// One typed method per callable, built from the schema's registry: adding a callable to `CALLABLES` adds
// its method here with no code written for it. Each request is checked against its schema before it is
// sent (a bad one never costs a round trip) and each response is parsed, so a caller gets the shapes the
// schema promises or a ReelforgeError.
import { httpsCallable, type Functions } from 'firebase/functions';
import {
  CALLABLES,
  CALLABLE_NAMES,
  zodIssuesToDetails,
  type CallableName,
  type CallableRequest,
  type CallableResponse,
} from '@reelforge/schema';
import { ReelforgeError, toReelforgeError } from './errors.js';

export type CallableMethods = {
  [N in CallableName]: (request: CallableRequest<N>) => Promise<CallableResponse<N>>;
};

export interface CallOptions {
  /** Per-call timeout; jobs are enqueued, never awaited, so a callable answers in well under this. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 70_000;

export async function call<N extends CallableName>(
  functions: Functions,
  name: N,
  request: CallableRequest<N>,
  options: CallOptions = {},
): Promise<CallableResponse<N>> {
  const { request: requestSchema, response: responseSchema } = CALLABLES[name];
  const checked = requestSchema.safeParse(request);
  if (!checked.success) {
    const details = zodIssuesToDetails(checked.error);
    const fields = details.map((d) => d.path || '(request)').join(', ');
    throw new ReelforgeError('invalid-argument', `${name}: invalid ${fields}`, details, name);
  }
  let raw: unknown;
  try {
    const fn = httpsCallable(functions, name, { timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    // The original request goes on the wire: the backend parses it with the same schema.
    raw = (await fn(request)).data;
  } catch (err) {
    throw toReelforgeError(err, name);
  }
  const parsed = responseSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ReelforgeError(
      'invalid-response',
      `${name} answered outside its schema: ${parsed.error.message}`,
      zodIssuesToDetails(parsed.error),
      name,
    );
  }
  return parsed.data as CallableResponse<N>;
}

export function callableMethods(functions: Functions, options: CallOptions = {}): CallableMethods {
  const methods = Object.fromEntries(
    CALLABLE_NAMES.map((name) => [
      name,
      (request: CallableRequest<typeof name>) => call(functions, name, request, options),
    ]),
  );
  return methods as CallableMethods;
}
