// One wrapper for every callable: authentication (the ID token checked for revocation, auth/session.ts),
// request validation by the schema package, and error mapping. Handlers receive typed, validated input and
// the caller, and only ever see valid data.
import { onCall, HttpsError, type CallableOptions, type CallableRequest } from 'firebase-functions/v2/https';
import { CALLABLES, zodIssuesToDetails } from '@reelforge/schema';
import type { z } from 'zod';
import { mayStartPaidWork, type Caller } from '../auth/paid-work.js';
import { verifySession } from '../auth/session.js';
import { REGION, params } from '../config.js';
import { log } from '../log.js';
import { drainFollowUps } from '../projects/follow-ups.js';
import { invalidArgument, toHttpsError, unauthenticated } from './errors.js';

type Callables = typeof CALLABLES;
export type CallableName = keyof Callables;
export type RequestOf<N extends CallableName> = z.output<Callables[N]['request']>;
export type ResponseOf<N extends CallableName> = z.input<Callables[N]['response']>;

export interface CallContext {
  uid: string;
  /** The uid and what its verified token allows (paid work needs a verified email, auth/paid-work.ts). */
  caller: Caller;
  request: CallableRequest<unknown>;
}

export interface CallableSettings extends Omit<CallableOptions, 'region'> {
  /** Callables that need no signed-in user (the Clerk exchange). */
  public?: boolean;
}

export function callable<N extends CallableName>(
  name: N,
  handler: (input: RequestOf<N>, ctx: CallContext) => Promise<ResponseOf<N>>,
  settings: CallableSettings = {},
) {
  const { public: isPublic, ...options } = settings;
  const schema = CALLABLES[name].request as unknown as z.ZodType<RequestOf<N>>;
  return onCall(
    {
      region: REGION,
      cors: true,
      // A ceiling on what a burst can scale to (and cost); App Check only when the deploy turns it on.
      maxInstances: params.callableMaxInstances,
      enforceAppCheck: params.enforceAppCheck,
      ...options,
    },
    async (request) => {
      // A public callable (the Clerk exchange) acts for nobody; any other needs a live session.
      const claims = isPublic ? null : await verifySession(request.auth?.rawToken);
      if (!claims && !isPublic) throw unauthenticated();
      const uid = claims?.uid;
      const caller: Caller = { uid: uid ?? '', mayStartPaidWork: !!claims && mayStartPaidWork(claims) };
      const parsed = schema.safeParse(request.data ?? {});
      if (!parsed.success) throw invalidArgument(zodIssuesToDetails(parsed.error));
      const started = Date.now();
      try {
        const result = await handler(parsed.data, { uid: uid ?? '', caller, request }).finally(
          drainFollowUps,
        );
        log.callable(name, { uid, ms: Date.now() - started });
        return result;
      } catch (err) {
        const known = toHttpsError(err);
        if (known) throw known;
        // Anything else is our fault, not the caller's: log it whole, tell the client little.
        log.callableError(name, err, { uid });
        throw new HttpsError('internal', 'Something went wrong on our side; please try again.');
      }
    },
  );
}
