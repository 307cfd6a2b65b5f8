// Which handler runs each job type.
import type { JobType } from '@reelforge/schema';
import type { JobHandler } from '../types.js';
import { moodsJob } from './moods.js';
import { renderJob } from './render.js';
import { compositionJob, mediaJob } from './scene-assets.js';
import { sceneTextJob, storyboardJob } from './text.js';

export const HANDLERS: Record<JobType, JobHandler> = {
  moods: moodsJob,
  storyboard: storyboardJob,
  render: renderJob,
  composition: compositionJob,
  image: mediaJob('image'),
  video: mediaJob('video'),
  audio: mediaJob('audio'),
  scene_text: sceneTextJob,
};
