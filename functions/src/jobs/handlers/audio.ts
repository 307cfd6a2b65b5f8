// The audio scene job: music for one scene, as long as the scene, from the scene, the mood and the brief.
import { secrets } from '../../config.js';
import { QUEUE_SIZING } from '../queue-sizing.js';
import { prompts } from '../../providers/index.js';
import { defineJob } from '../define.js';
import { sceneBilledSeconds } from '../work.js';
import { moodOrNeutral } from './neutral-mood.js';
import { baseInput, mediaJob } from './scene-assets.js';

const runAudio = mediaJob('audio', {
  kind: 'audio',
  output: 'audio',
  contentType: 'audio/mpeg',
  madeFrom: [],
  input: (ctx, scene) => ({
    ...baseInput(ctx),
    durationSeconds: scene.duration_seconds,
    prompt: prompts.sceneAudioPrompt({
      scene,
      mood: moodOrNeutral(ctx.project),
      brief: ctx.project.storyboard.creative_brief,
    }),
  }),
});

export const audioJob = defineJob({
  type: 'audio',
  label: 'audio',
  step: 'Audio generation',
  queue: { ...QUEUE_SIZING.audio },
  attempts: 3,
  secrets: [secrets.replicateApiToken],
  work: (input) => [{ media: 'audio', seconds: sceneBilledSeconds(input) }],
  handler: runAudio,
  asset: { name: 'audio' },
});
