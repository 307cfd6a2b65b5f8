// Recording a prediction the moment it exists. A prediction is paid for from its create on; if its job
// cannot record it (canceled or superseded meanwhile, or the project deleted), nobody would ever stop it,
// so it is canceled here before the refusal is passed on.
import type { MediaProvider } from '../../providers/index.js';
import { errorText, log } from '../../log.js';
import type { JobContext } from '../types.js';

export async function recordPrediction(
  ctx: JobContext,
  media: MediaProvider,
  predictionId: string,
  ref: string,
  options: { releaseLease?: boolean } = {},
): Promise<void> {
  try {
    await ctx.setProviderRef(ref, options);
  } catch (err) {
    await media.cancel(predictionId).catch((cancelErr: unknown) =>
      log.warn('could not cancel an unrecorded prediction', {
        job_id: ctx.job.job_id,
        prediction: predictionId,
        error: errorText(cancelErr),
      }),
    );
    throw err;
  }
}
