// The translate project job: the ad in one more of its languages (`settings.languages`). The language model
// translates every scene's line and the call to action in one answer (the brand name stays as written);
// then each line is spoken in that language and transcribed for its word timings, as the voiceover job does
// for the storyboard's own language. A line too long for its scene is asked once to be said shorter; still
// too long, the job fails naming the scene and the language. The clips, keyframes and bed are the
// storyboard's: a language makes no image, video or music.
//
// What a retry must not pay again is kept in the job's scratch file: the translation, and each scene's
// voiceover once it is stored. A retry reads it back and goes on from the first scene not yet voiced.
import { z } from 'zod';
import { LIMITS, languageOf, sceneName, type LocalizationDoc } from '@reelforge/schema';
import { QUEUE_SIZING } from '../queue-sizing.js';
import { localizationBasis, orderedScenes } from '../../projects/localizations.js';
import { secrets } from '../../config.js';
import { PermanentJobError, Unavailable } from '../../errors.js';
import { prompts, type SpeechProvider } from '../../providers/index.js';
import { voiceRoom } from '../../render/ad-graph.js';
import { jobScratchPath, localizedVoiceoverPath, voiceoverTimingPath } from '../../storage/paths.js';
import { loadJson, saveBytes, saveJson } from '../../storage/upload.js';
import { defineJob } from '../define.js';
import { languageModel, speechProvider } from '../provider-clients.js';
import type { JobContext, JobOutcome } from '../types.js';
import { speakLine, type SpokenLine } from './spoken-line.js';

/** A language as prompts and messages name it: `Spanish (es-MX)`. */
function named(tag: string) {
  return { name: languageOf(tag).name, tag };
}

const VoicedSchema = z.strictObject({
  text: z.string(),
  voiceover_path: z.string(),
  voiceover_timing_path: z.string(),
});
const ScratchSchema = z.strictObject({
  basis: z.string(),
  lines: z.record(z.string(), z.string()),
  call_to_action: z.string(),
  voiced: z.record(z.string(), VoicedSchema),
});
type Scratch = z.infer<typeof ScratchSchema>;

async function readScratch(path: string, basis: string): Promise<Scratch | undefined> {
  const stored = await loadJson(path).catch(() => undefined);
  const parsed = ScratchSchema.safeParse(stored);
  return parsed.success && parsed.data.basis === basis ? parsed.data : undefined;
}

async function runTranslate(ctx: JobContext): Promise<JobOutcome> {
  const { project } = ctx;
  const language = ctx.job.options?.language;
  const [source, ...others] = project.settings.languages;
  if (!language || !others.includes(language)) {
    throw new PermanentJobError(
      `${language ?? 'no language'} is not one of the ad's other languages (${others.join(', ') || 'none'}); add it to the settings first.`,
    );
  }
  const lang = named(language);
  const brief = project.storyboard.creative_brief;
  const scenes = orderedScenes(project);
  if (scenes.length === 0)
    throw new PermanentJobError('the storyboard has no scenes; draft a storyboard first.');
  const basis = localizationBasis(project, language);
  const scratchPath = jobScratchPath(project.id, ctx.job.job_id, 'translation.json');
  const model = languageModel(ctx.config.providers, ctx.cost, ctx.signal);

  let scratch = await readScratch(scratchPath, basis);
  if (!scratch) {
    const spoken = scenes.filter((s) => s.voiceover_text?.trim());
    const answer = spoken.length
      ? await model.translate({
          brief,
          language: lang,
          source: named(source!),
          lines: spoken.map((s) => ({
            scene_number: s.scene_number,
            seconds: s.duration_seconds,
            text: s.voiceover_text!.trim(),
          })),
          ...(brief.call_to_action ? { callToAction: brief.call_to_action } : {}),
        })
      : { lines: [], call_to_action: '' };
    const byNumber = new Map(answer.lines.map((l) => [l.scene_number, l.text]));
    scratch = {
      basis,
      lines: Object.fromEntries(spoken.map((s) => [s.id, byNumber.get(s.scene_number)!])),
      // A brief without a call to action has none in any language.
      call_to_action: brief.call_to_action ? answer.call_to_action || brief.call_to_action : '',
      voiced: {},
    };
    await saveJson(scratchPath, scratch);
  }
  await ctx.progress(20);

  const speech = speechProvider(ctx.config.providers, ctx.signal);
  const voiced = scenes.filter((s) => scratch.lines[s.id] !== undefined);
  for (const [i, scene] of voiced.entries()) {
    if (scratch.voiced[scene.id]) continue;
    const room = voiceRoom(scene.duration_seconds);
    let text = scratch.lines[scene.id]!;
    let said = await say(ctx, speech, text, language);
    if (said.spoken > room) {
      // Once: a shorter way to say it, then it fits or the job fails saying which line in which language.
      text = await model.shorten({
        brief,
        language: lang,
        text,
        roomSeconds: room,
        spokenSeconds: said.spoken,
      });
      said = await say(ctx, speech, text, language);
      if (said.spoken > room) {
        throw new PermanentJobError(
          `the ${lang.name} (${language}) line of ${sceneName(scene)} takes ${said.spoken.toFixed(1)} s to say ` +
            `even shortened, but the ${scene.duration_seconds} s scene has room for ${room.toFixed(1)} s; ` +
            'shorten the line or lengthen the scene.',
        );
      }
    }
    const path = localizedVoiceoverPath(project.id, scene.id, language, ctx.outputId);
    const timingPath = voiceoverTimingPath(path);
    await saveBytes(path, said.wav, 'audio/wav');
    await saveJson(timingPath, said.timing);
    scratch.voiced[scene.id] = { text, voiceover_path: path, voiceover_timing_path: timingPath };
    await saveJson(scratchPath, scratch);
    await ctx.progress(20 + (75 * (i + 1)) / voiced.length);
  }

  const made = scratch;
  const files = Object.values(made.voiced).flatMap((v) => [v.voiceover_path, v.voiceover_timing_path]);
  return {
    files,
    apply(fresh, _scene, now) {
      // Lines edited while this ran: this translation is of lines the ad no longer has. The next attempt
      // translates the ad as it is then.
      if (localizationBasis(fresh, language) !== basis) {
        throw new Unavailable(
          'the scenes or the call to action changed while translating; translating again.',
        );
      }
      const previous = fresh.localizations?.[language];
      const localization: LocalizationDoc = {
        language,
        ...(made.call_to_action ? { call_to_action: made.call_to_action } : {}),
        scenes: orderedScenes(fresh).map((s) => {
          const v = made.voiced[s.id];
          return v
            ? {
                scene_id: s.id,
                voiceover_text: v.text,
                voiceover_path: v.voiceover_path,
                voiceover_timing_path: v.voiceover_timing_path,
              }
            : { scene_id: s.id, voiceover_text: '' };
        }),
        basis,
        generated_at: now,
      };
      fresh.localizations = { ...fresh.localizations, [language]: localization };
      const kept = new Set(files);
      // The previous translation's voiceovers, and the scratch file no retry will read now.
      const replaced = (previous?.scenes ?? [])
        .flatMap((s) => [s.voiceover_path, s.voiceover_timing_path])
        .filter((p): p is string => !!p && !kept.has(p));
      return [...replaced, scratchPath];
    },
  };
}

/** One line spoken in `language` (the voice told to speak it) and timed. */
function say(ctx: JobContext, speech: SpeechProvider, text: string, language: string): Promise<SpokenLine> {
  const direction = prompts.localizedVoiceDirection(ctx.project.storyboard.creative_brief, named(language));
  return speakLine(ctx, speech, text, direction, { tag: language, code: languageOf(language).code });
}

export const translateJob = defineJob({
  type: 'translate',
  label: 'translation',
  step: 'Translation and voiceovers',
  queue: { ...QUEUE_SIZING.translate },
  attempts: 3,
  secrets: [secrets.openaiApiKey],
  // One answer for the whole ad, then every line spoken and timed: billed like the voiceovers (characters,
  // and the scenes' seconds of audio), with room for each line to be said once more, shortened.
  work: ({ project }) => {
    const lines = project.scenes.filter((s) => s.voiceover_text?.trim());
    // Before the storyboard exists (a production from the brief): its default scenes, each with a line of
    // half the longest, over the ad's target length.
    const characters = lines.length
      ? lines.reduce((sum, s) => sum + (s.voiceover_text?.length ?? 0), 0)
      : LIMITS.DEFAULT_SCENE_COUNT * Math.ceil(LIMITS.VOICEOVER_TEXT_MAX / 2);
    const seconds = lines.length
      ? lines.reduce((sum, s) => sum + Math.max(s.duration_seconds, (s.voiceover_text?.length ?? 0) / 10), 0)
      : project.settings.target_duration_seconds;
    return [
      // The prompt carries every line: it grows with the storyboard.
      { answer: 'translate', promptBytes: 2_000 + 3 * characters },
      { speech: Math.ceil(characters * 1.5) },
      { transcription: Math.ceil(seconds * 1.5) },
    ];
  },
  handler: runTranslate,
});
