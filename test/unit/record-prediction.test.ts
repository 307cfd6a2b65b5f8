// A prediction its job cannot record (canceled or superseded between the create and the record) would run
// on, paid for and never stopped: it is canceled at once.
import { describe, expect, it } from 'vitest';
import type { MediaProvider } from '../../functions/src/providers/index.js';
import type { JobContext } from '../../functions/src/jobs/types.js';

const { recordPrediction } = await import('../../functions/src/jobs/handlers/record.js');
const { predictionSlots } = await import('../../functions/src/jobs/handlers/moods.js');
const { JobCanceled } = await import('../../functions/src/errors.js');

function fakeMedia(canceled: string[]): MediaProvider {
  return {
    cancel: async (id: string) => {
      canceled.push(id);
      return { id, status: 'canceled', progress: 0, outputUrls: [] };
    },
  } as unknown as MediaProvider;
}

function ctxWith(setProviderRef: JobContext['setProviderRef']): JobContext {
  return { job: { job_id: 'j1' }, setProviderRef } as unknown as JobContext;
}

describe('recording predictions', () => {
  it('cancels a prediction its job no longer wants, and passes the refusal on', async () => {
    const canceled: string[] = [];
    const ctx = ctxWith(async () => {
      throw new JobCanceled('job is no longer active');
    });
    await expect(recordPrediction(ctx, fakeMedia(canceled), 'pred-1', 'pred-1')).rejects.toBeInstanceOf(
      JobCanceled,
    );
    expect(canceled).toEqual(['pred-1']);
  });

  it('leaves a recorded prediction running', async () => {
    const canceled: string[] = [];
    const refs: (string | null)[] = [];
    const ctx = ctxWith(async (ref) => {
      refs.push(ref);
    });
    await recordPrediction(ctx, fakeMedia(canceled), 'pred-2', 'pred-1,pred-2,');
    expect(refs).toEqual(['pred-1,pred-2,']);
    expect(canceled).toEqual([]);
  });

  it('reads the mood slots a retry resumes', () => {
    expect(predictionSlots(undefined, 3)).toEqual(['', '', '']);
    expect(predictionSlots('a,,c', 3)).toEqual(['a', '', 'c']);
    expect(predictionSlots('a', 3)).toEqual(['a', '', '']);
  });
});
