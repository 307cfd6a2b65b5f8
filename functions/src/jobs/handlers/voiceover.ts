// The voiceover scene job: the scene's line spoken by OpenAI's text-to-speech (the brief's tone as voice
// direction where the model takes it), then transcribed with word timestamps so the captions follow the
// words as they were actually spoken (spoken-line.ts, shared with the translate job). Stores the WAV and its
// timing file beside it.
//
// A line that does not fit its scene fails the job, naming the scene: the render never cuts a word and never
// stretches a scene past the length the storyboard gave it (the ad's length stays the scenes plus the card).
import { sceneName } from '@reelforge/schema';
import { QUEUE_SIZING } from '../queue-sizing.js';
import { secrets } from '../../config.js';
import { PermanentJobError } from '../../errors.js';
import { prompts } from '../../providers/index.js';
import { voiceRoom } from '../../render/ad-graph.js';
import { sceneAssetPath, voiceoverTimingPath } from '../../storage/paths.js';
import { saveBytes, saveJson } from '../../storage/upload.js';
import { defineJob } from '../define.js';
import { speechProvider } from '../provider-clients.js';
import type { JobContext, JobOutcome } from '../types.js';
import { sceneBilledSeconds } from '../work.js';
import { sceneOf, takeResult } from './scene-assets.js';
import { speakLine } from './spoken-line.js';

async function runVoiceover(ctx: JobContext): Promise<JobOutcome> {
  const scene = sceneOf(ctx);
  const { project } = ctx;
  const text = scene.voiceover_text?.trim();
  if (!text) {
    throw new PermanentJobError(`${sceneName(scene)} has no voiceover line; write one first.`);
  }
  await ctx.progress(10);
  const speech = speechProvider(ctx.config.providers, ctx.signal);
  const { wav, timing, spoken } = await speakLine(
    ctx,
    speech,
    text,
    prompts.voiceDirection(project.storyboard.creative_brief),
    undefined,
    () => ctx.progress(50),
  );
  const room = voiceRoom(scene.duration_seconds);
  if (spoken > room) {
    throw new PermanentJobError(
      `the voiceover line of ${sceneName(scene)} takes ${spoken.toFixed(1)} s to say, but the ` +
        `${scene.duration_seconds} s scene has room for ${room.toFixed(1)} s; shorten the line or lengthen the scene.`,
    );
  }
  await ctx.progress(80);
  const path = sceneAssetPath(project.id, scene.id, 'voiceover', ctx.outputId, 'wav');
  const timingPath = voiceoverTimingPath(path);
  await saveBytes(path, wav, 'audio/wav');
  await saveJson(timingPath, timing);
  return takeResult(
    ctx,
    {
      asset: 'voiceover',
      files: { voiceover_path: path, voiceover_timing_path: timingPath },
      voiceoverText: text,
    },
    (fresh) => {
      // The scene is locked while its job runs; should its line still differ, this speech is not its line.
      if (fresh.voiceover_text?.trim() !== text) {
        throw new PermanentJobError(`the voiceover line of ${sceneName(fresh)} changed; generate it again.`);
      }
    },
  );
}

export const voiceoverJob = defineJob({
  type: 'voiceover',
  label: 'voiceover',
  step: 'Voiceover',
  queue: { ...QUEUE_SIZING.voiceover },
  attempts: 3,
  secrets: [secrets.openaiApiKey],
  // Speech, then its transcription for the word timings, billed on the audio's length: the scene's
  // seconds, or a line too long for its scene spoken slowly (10 characters a second; ~15 is usual).
  work: (input) => {
    const characters = input.scene?.voiceover_text?.length ?? 0;
    return [
      { speech: characters },
      { transcription: Math.max(sceneBilledSeconds(input), Math.ceil(characters / 10)) },
    ];
  },
  handler: runVoiceover,
  asset: { name: 'voiceover' },
});
