// Counts the Firestore writes made in this process, however they are made: transactions (each run of a
// transaction's callback is an attempt, so attempts beyond one are retries) and conditional writes (an
// update or delete with a `lastUpdateTime` precondition, the compare-and-set that `mutateProject` in
// functions/src/projects/store.ts uses; a FAILED_PRECONDITION answer is a lost race, retried by the caller).
// Patched on the `@google-cloud/firestore` prototypes that firebase-admin (and the functions bundle, which
// keeps it external) instantiate, so the functions' own writes are counted when their code runs here.
import { createRequire } from 'node:module';
import type { DocumentReference, Firestore, Transaction } from '@google-cloud/firestore';

const require = createRequire(import.meta.url);

const GRPC_FAILED_PRECONDITION = 9;

export interface WriteCounts {
  /** runTransaction calls, callback runs (first attempts and retries), commits and failures. */
  transactions: { started: number; attempts: number; committed: number; failed: number };
  /** Conditional writes: attempts, races lost (FAILED_PRECONDITION) and those that went through. */
  conditional: { attempts: number; conflicts: number; written: number };
  /** Errors of failed transactions and conditional writes (other than lost races). */
  failures: string[];
  /** Per committed transaction or successful conditional write: ms from its first attempt to success. */
  latenciesMs: number[];
  /** Successful writes per document path (transaction commits and direct writes alike). */
  writes: Map<string, number>;
  /** When each of those writes landed (ms since the epoch), per document path. */
  writeTimes: Map<string, number[]>;
}

export const emptyCounts = (): WriteCounts => ({
  transactions: { started: 0, attempts: 0, committed: 0, failed: 0 },
  conditional: { attempts: 0, conflicts: 0, written: 0 },
  failures: [],
  latenciesMs: [],
  writes: new Map(),
  writeTimes: new Map(),
});

/** Attempts that had to be made again: transaction retries plus lost compare-and-set races. */
export const retriesOf = (c: WriteCounts) =>
  c.transactions.attempts - c.transactions.committed - c.transactions.failed + c.conditional.conflicts;

/** Writes that succeeded in the end, by either mechanism. */
export const writesDone = (c: WriteCounts) => c.transactions.committed + c.conditional.written;

/**
 * An error a transaction callback threw as part of its logic (the functions throw HttpsErrors such as
 * not-found, whose code is a string), as opposed to a transaction that failed (gRPC errors: numeric codes).
 */
const isDeliberate = (err: unknown) => typeof (err as { code?: unknown }).code === 'string';
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

let counts = emptyCounts();
let installed = false;

const WRITES = Symbol('bench-writes');
type Tracked = Transaction & { [WRITES]?: { current: Set<string> } };

/** Wraps a transaction's write methods (once; Firestore reuses the object across attempts). */
function trackWrites(tx: Tracked): { current: Set<string> } {
  const existing = tx[WRITES];
  if (existing) return existing;
  const tracker = { current: new Set<string>() };
  tx[WRITES] = tracker;
  for (const method of ['set', 'update', 'create', 'delete'] as const) {
    const write = tx[method] as (ref: { path: string }, ...rest: unknown[]) => Transaction;
    (tx as unknown as Record<string, unknown>)[method] = (ref: { path: string }, ...rest: unknown[]) => {
      tracker.current.add(ref.path);
      return write.call(tx, ref, ...rest);
    };
  }
  return tracker;
}

function addWrite(c: WriteCounts, path: string) {
  c.writes.set(path, (c.writes.get(path) ?? 0) + 1);
  const times = c.writeTimes.get(path) ?? [];
  times.push(Date.now());
  c.writeTimes.set(path, times);
}

function patchTransactions(FirestoreClass: { prototype: Firestore }) {
  type Run = Firestore['runTransaction'];
  const original = FirestoreClass.prototype.runTransaction;
  const patched = function (
    this: Firestore,
    update: (tx: Transaction) => Promise<unknown>,
    options?: Parameters<Run>[1],
  ) {
    const mine = counts;
    const started = Date.now();
    mine.transactions.started += 1;
    // Only the committed attempt's writes count.
    let written = new Set<string>();
    const counted = (tx: Transaction) => {
      mine.transactions.attempts += 1;
      written = new Set();
      trackWrites(tx).current = written;
      return update(tx);
    };
    return original.call(this, counted, options).then(
      (value: unknown) => {
        mine.transactions.committed += 1;
        mine.latenciesMs.push(Date.now() - started);
        for (const path of written) addWrite(mine, path);
        return value;
      },
      (err: unknown) => {
        if (isDeliberate(err)) mine.transactions.committed += 1;
        else {
          mine.transactions.failed += 1;
          mine.failures.push(message(err));
        }
        throw err;
      },
    );
  };
  FirestoreClass.prototype.runTransaction = patched as unknown as Run;
}

/** A precondition argument, as `update(data, precondition)` and `delete(precondition)` take it. */
const isPrecondition = (arg: unknown) =>
  typeof arg === 'object' && arg !== null && ('lastUpdateTime' in arg || 'exists' in arg);

function patchDocumentWrites(ReferenceClass: { prototype: DocumentReference }) {
  const proto = ReferenceClass.prototype as unknown as Record<
    string,
    (...args: unknown[]) => Promise<unknown>
  >;
  for (const method of ['set', 'update', 'create', 'delete'] as const) {
    const original = proto[method]!;
    proto[method] = function (this: DocumentReference, ...args: unknown[]) {
      const mine = counts;
      const conditional = (method === 'update' || method === 'delete') && args.some(isPrecondition);
      if (conditional) mine.conditional.attempts += 1;
      const started = Date.now();
      return original.apply(this, args).then(
        (value) => {
          addWrite(mine, this.path);
          if (conditional) {
            mine.conditional.written += 1;
            mine.latenciesMs.push(Date.now() - started);
          }
          return value;
        },
        (err: unknown) => {
          if (conditional && (err as { code?: unknown }).code === GRPC_FAILED_PRECONDITION) {
            mine.conditional.conflicts += 1;
          } else mine.failures.push(message(err));
          throw err;
        },
      );
    };
  }
}

/** Installs the counters (once per process) and hands out the current count. */
export function countWrites() {
  if (!installed) {
    installed = true;
    const sdk = require('@google-cloud/firestore') as {
      Firestore: { prototype: Firestore };
      DocumentReference: { prototype: DocumentReference };
    };
    patchTransactions(sdk.Firestore);
    patchDocumentWrites(sdk.DocumentReference);
  }
  return {
    /** Starts a new count (writes in flight keep counting into the count they started in). */
    reset(): WriteCounts {
      counts = emptyCounts();
      return counts;
    },
    get current(): WriteCounts {
      return counts;
    },
  };
}
