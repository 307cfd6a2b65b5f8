// Minutes without a `last_update` after which the stale sweep re-enqueues or fails a job, per type. The job
// registry (jobs/registry.ts) declares each type with its limit from here; the table lives below it because
// project stats (`stats.stale_at`, recomputed on every write) need it and projects/ may not import jobs/.
import type { JobType } from '@reelforge/schema';

export const STALE_MINUTES: Readonly<Record<JobType, number>> = {
  moods: 10,
  storyboard: 5,
  scene_text: 5,
  composition: 5,
  image: 10,
  video: 20,
  audio: 10,
  voiceover: 5,
  music: 10,
  render: 20,
};
