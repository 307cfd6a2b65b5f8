// Named log helpers: every line is a structured entry with a stable `event` name, so logs can be
// filtered by what happened (e.g. event="job_failed") rather than by grepping prose.
import { randomUUID } from 'node:crypto';
import { logger } from 'firebase-functions/v2';

type Fields = Record<string, unknown>;

function entry(event: string, fields: Fields): Fields {
  return { event, ...fields };
}

export const log = {
  callable: (name: string, fields: Fields) =>
    logger.info(`callable ${name}`, entry('callable', { name, ...fields })),
  callableError: (name: string, err: unknown, fields: Fields = {}) =>
    logger.error(
      `callable ${name} failed`,
      entry('callable_error', { name, error: errorText(err), ...fields }),
    ),
  jobQueued: (fields: Fields) => logger.info('job queued', entry('job_queued', fields)),
  jobClaimed: (fields: Fields) => logger.info('job claimed', entry('job_claimed', fields)),
  jobSkipped: (reason: string, fields: Fields) =>
    logger.info(`job skipped: ${reason}`, entry('job_skipped', { reason, ...fields })),
  jobProgress: (fields: Fields) => logger.debug('job progress', entry('job_progress', fields)),
  jobFannedOut: (fields: Fields) => logger.info('job fanned out', entry('job_fanned_out', fields)),
  partClaimed: (fields: Fields) => logger.info('job part claimed', entry('part_claimed', fields)),
  partEnded: (outcome: string, fields: Fields) =>
    logger.info(`job part ${outcome}`, entry('part_ended', { outcome, ...fields })),
  jobCompleted: (fields: Fields) => logger.info('job completed', entry('job_completed', fields)),
  jobRetrying: (err: unknown, fields: Fields) =>
    logger.warn('job will be retried', entry('job_retrying', { error: errorText(err), ...fields })),
  jobFailed: (message: string, fields: Fields) =>
    logger.error('job failed', entry('job_failed', { message, ...fields })),
  enqueueFailed: (err: unknown, fields: Fields) =>
    logger.error('enqueue failed', entry('enqueue_failed', { error: errorText(err), ...fields })),
  webhook: (outcome: string, fields: Fields) =>
    logger.info(`webhook ${outcome}`, entry('webhook', { outcome, ...fields })),
  production: (what: string, fields: Fields) =>
    logger.info(`production ${what}`, entry('production', { what, ...fields })),
  sweep: (fields: Fields) => logger.info('stale sweep', entry('sweep', fields)),
  cleanup: (what: string, fields: Fields) => logger.info(what, entry('cleanup', fields)),
  warn: (message: string, fields: Fields = {}) => logger.warn(message, entry('warning', fields)),
};

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * For an error whose text is not for users (Storage, Cloud Tasks or Firestore errors name service accounts,
 * buckets and queues): logs the details under a short reference and returns the reference, which the
 * message a person reads carries instead.
 */
export function logIncident(what: string, err: unknown, fields: Fields = {}): string {
  const reference = randomUUID().slice(0, 8);
  logger.error(what, entry('incident', { reference, error: errorText(err), ...fields }));
  return reference;
}
