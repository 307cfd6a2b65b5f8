// Secret bindings, read from the built bundle (functions/lib, made by `npm run build`) exactly as the
// Firebase CLI deploys it: each function's `__endpoint.secretEnvironmentVariables`. The emulator does not
// enforce bindings, so this is where a missing one shows: in production an unbound secret reads as empty,
// and a function that then reaches a provider fails (deleteProject once left a deleted project's predictions
// running and billing that way). Every deployed function must be accounted for below.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { JobTypeSchema, type JobType } from '@reelforge/schema';
import { deployedFunctions } from './support/deployed.js';

const BUNDLE = new URL('../../functions/lib/index.js', import.meta.url).pathname;
if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first`);
const bundle = createRequire(import.meta.url)(BUNDLE) as object;
const deployed = deployedFunctions(bundle);

const { JOBS, taskFunctionName } = await import('../../functions/src/jobs/registry.js');

const OPENAI = 'OPENAI_API_KEY';
const REPLICATE = 'REPLICATE_API_TOKEN';
const WEBHOOK = 'REPLICATE_WEBHOOK_SECRET';

/** The keys each function needs, by what it can reach. */
const NEEDS = new Map<string, string[]>([
  // Stopping a job's work cancels its predictions, whatever the job type.
  ['cancelJob', [OPENAI, REPLICATE]],
  // Canceling a production stops every job of it, canceling their predictions.
  ['cancelProduction', [OPENAI, REPLICATE]],
  ['deleteProject', [OPENAI, REPLICATE]],
  // The sweep cancels the predictions of a job it fails for good.
  ['sweepStaleJobsScheduled', [OPENAI, REPLICATE]],
  // Finishing a project's deletion stops its jobs, canceling their predictions.
  ['projectDeletion', [OPENAI, REPLICATE]],
  ['replicateWebhook', [WEBHOOK]],
  // A job's task function: the providers its handler uses, as its definition (defineJob) declares them.
  ...JobTypeSchema.options.map((type): [string, string[]] => [
    taskFunctionName(type),
    JOBS[type].secrets.map((s) => s.name),
  ]),
]);

/**
 * The keys each job type's handler reaches, said here apart from its definition: the image, video and audio
 * models and the mood images are Replicate's; every text, speech and transcription is OpenAI's.
 */
const USES: Record<JobType, readonly string[]> = {
  moods: [OPENAI, REPLICATE],
  storyboard: [OPENAI],
  scene_text: [OPENAI],
  composition: [OPENAI],
  image: [REPLICATE],
  video: [REPLICATE],
  audio: [REPLICATE],
  voiceover: [OPENAI],
  music: [REPLICATE],
  render: [],
  translate: [OPENAI],
};

/** Functions that reach no provider and hold no secret. */
const NONE = [
  'createProject',
  'listProjects',
  'getProject',
  'updateProject',
  'selectMood',
  'addScene',
  'updateScene',
  'deleteScene',
  'reorderScenes',
  'getAssetUrls',
  'chooseTake',
  'pinTake',
  'deleteTake',
  'exchangeClerkToken',
  'generateMoods',
  'generateStoryboard',
  'generateSceneAsset',
  'regenerateSceneText',
  'renderProject',
  'retryJob',
  'reconcileStorageScheduled',
  // Starts the music job (its task function holds the key); stores a logo the client sent.
  'generateMusic',
  'translateProject',
  'setLogo',
  // Attach a user's upload after checking its bytes (sharp, ffprobe): no provider.
  'setProductImage',
  'setSceneClip',
  // Limits and spend: they read the usage record and start jobs, never a provider.
  'generateAll',
  'estimateCost',
  'getUsage',
  // Productions start jobs (their task functions hold the keys) and price plans, never a provider.
  'startProduction',
  'estimateProduction',
  'retryProduction',
];

const bound = (name: string) =>
  (deployed.get(name)?.__endpoint.secretEnvironmentVariables ?? []).map((s) => s.key).sort();

describe('secret bindings of the deployed functions', () => {
  it('every deployed function is accounted for', () => {
    const known = new Set([...NEEDS.keys(), ...NONE]);
    expect([...deployed.keys()].filter((name) => !known.has(name))).toEqual([]);
    expect([...known].filter((name) => !deployed.has(name))).toEqual([]);
  });

  it.each([...NEEDS])('%s binds the keys it needs', (name, keys) => {
    expect(bound(name)).toEqual(expect.arrayContaining(keys));
  });

  // Keyed by every job type (the compiler refuses a missing one) and checked against the schema's list at
  // run time, so a new job type fails here until someone says which keys its handler reaches.
  it('has a row for every job type and none for a type that does not exist', () => {
    expect(Object.keys(USES).sort()).toEqual([...JobTypeSchema.options].sort());
  });

  it.each(JobTypeSchema.options)(
    'the %s task function binds exactly the keys its handler reaches',
    (type) => {
      expect(USES, `no row for job type ${type}`).toHaveProperty(type);
      expect(bound(taskFunctionName(type))).toEqual([...USES[type]].sort());
    },
  );

  it.each(NONE)('%s holds no secret', (name) => {
    expect(bound(name)).toEqual([]);
  });
});
