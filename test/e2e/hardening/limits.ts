// A project document at every limit the schema allows: the most scenes, moods and images, every text at its
// longest, every path and job field filled. `unit` is the character every free text is made of: 'x' (one
// UTF-8 byte) or a character of three UTF-8 bytes, the most bytes one UTF-16 unit (what the schema's
// length limits count) can take. Ids, colours and Storage paths are ASCII by their schemas.
import { Timestamp } from 'firebase-admin/firestore';
import {
  AspectRatioSchema,
  LIMITS,
  ProjectDocSchema,
  SceneAssetTypeSchema,
  TakeDocSchema,
  type TakeDoc,
  type ActiveJobDoc,
  type JobType,
  type Mood,
  type ProjectDoc,
} from '@reelforge/schema';

const STORAGE_PATH_MAX = 1024;
const path = (label: string) => `projects/${label}/`.padEnd(STORAGE_PATH_MAX, 'f');

export function maximalProject(unit: string, id = 'p'.repeat(LIMITS.ID_MAX)): ProjectDoc {
  const text = (max: number) => unit.repeat(max);
  const ascii = (prefix: string, max: number) => `${prefix}${'i'.repeat(max)}`.slice(0, max);
  const now = Timestamp.now();

  const job = (type: JobType, n: number, sceneId?: string): ActiveJobDoc => ({
    job_id: ascii(`job${n}-`, LIMITS.ID_MAX),
    type,
    status: 'processing',
    progress: 99,
    started_at: now,
    last_update: now,
    attempt: 3,
    error_message: text(LIMITS.DESCRIPTION_MAX),
    provider_ref: text(LIMITS.DESCRIPTION_MAX),
    ...(sceneId ? { scene_id: sceneId } : {}),
    options: { scene_count: LIMITS.MAX_SCENES, instructions: text(LIMITS.INSTRUCTIONS_MAX) },
    deliveries: 99,
    lease_until: now,
  });

  const mood = (n: number): Mood => ({
    id: ascii(`mood${n}-`, LIMITS.ID_MAX),
    name: text(LIMITS.TITLE_MAX),
    description: text(LIMITS.DESCRIPTION_MAX),
    visual_style: text(LIMITS.DESCRIPTION_MAX),
    color_palette: Array.from({ length: LIMITS.PALETTE_MAX }, () => '#a1b2c3'),
    mood_keywords: Array.from({ length: LIMITS.KEYWORDS_MAX }, () => text(LIMITS.TITLE_MAX)),
    image_paths: Array.from({ length: LIMITS.MAX_IMAGES_PER_MOOD }, (_, i) => path(`mood${n}-${i}`)),
  });

  const scenes = Array.from({ length: LIMITS.MAX_SCENES }, (_, i) => {
    const sceneId = ascii(`scene${i}-`, LIMITS.ID_MAX);
    return {
      id: sceneId,
      scene_number: i + 1,
      title: text(LIMITS.TITLE_MAX),
      description: text(LIMITS.SCENE_TEXT_MAX),
      duration_seconds: LIMITS.SCENE_DURATION_MAX,
      assets: {
        composition_path: path(`c${i}`),
        thumbnail_path: path(`t${i}`),
        video_path: path(`v${i}`),
        audio_path: path(`a${i}`),
        generated_at: now,
      },
      active_job: job('video', i, sceneId),
      composition: {
        description: text(LIMITS.COMPOSITION_FIELD_MAX),
        styling: text(LIMITS.COMPOSITION_FIELD_MAX),
        animation: text(LIMITS.COMPOSITION_FIELD_MAX),
        generated_at: now,
      },
    };
  });

  const moods = Array.from({ length: LIMITS.MOODS_PER_PROJECT }, (_, i) => mood(i));
  return ProjectDocSchema.parse({
    id,
    name: text(LIMITS.NAME_MAX),
    description: text(LIMITS.DESCRIPTION_MAX),
    user_id: ascii('user-', LIMITS.ID_MAX),
    created_at: now,
    updated_at: now,
    settings: { aspect_ratio: '16:9', target_duration_seconds: LIMITS.TARGET_DURATION_MAX },
    storyboard: {
      id: ascii('storyboard-', LIMITS.ID_MAX),
      title: text(LIMITS.TITLE_MAX),
      creative_brief: {
        brand_name: text(LIMITS.NAME_MAX),
        product_description: text(LIMITS.BRIEF_FIELD_MAX),
        target_audience: text(LIMITS.BRIEF_FIELD_MAX),
        key_message: text(LIMITS.BRIEF_FIELD_MAX),
        tone: text(LIMITS.BRIEF_FIELD_MAX),
        notes: text(LIMITS.NOTES_MAX),
      },
      selected_mood: moods[0],
    },
    moods,
    active_job: job('render', 99),
    assets: { final_video_path: path('render'), generated_at: now },
    scenes,
    stats: {
      total_scenes: LIMITS.MAX_SCENES,
      completed_scenes: LIMITS.MAX_SCENES,
      active_jobs: LIMITS.MAX_SCENES + 1,
      last_activity: now,
      oldest_active_update: now,
      stale_at: now,
    },
  });
}

/**
 * Takes at their limits (issue 26) on a maximal project: every scene asset of every scene with its chosen
 * take, what it was made from and the most pinned takes, and a render of every format recording its takes.
 * The takes themselves live beside the project (`maximalTake`).
 */
export function withTakesAtLimit(project: ProjectDoc, options: { takes?: boolean } = {}): ProjectDoc {
  const takes = options.takes ?? true;
  const takeId = (label: string) => `${label}-`.padEnd(LIMITS.TAKE_ID_MAX, 't');
  const copy = ProjectDocSchema.parse(project);
  copy.scenes = copy.scenes.map((scene, i) => ({
    ...scene,
    // The voiceover's two paths, which the maximal project leaves out, so that "before" and "after" differ by
    // the takes alone.
    assets: { ...scene.assets, voiceover_path: path(`vo${i}`), voiceover_timing_path: path(`vt${i}`) },
    takes: !takes
      ? undefined
      : Object.fromEntries(
          SceneAssetTypeSchema.options.map((asset) => [
            asset,
            {
              chosen: takeId(`${i}-${asset}-chosen`),
              ...(asset === 'video' ? { made_from: { image: takeId(`${i}-image-chosen`) } } : {}),
              ...(asset === 'image' ? { made_from: { composition: takeId(`${i}-composition-chosen`) } } : {}),
              pinned: Array.from({ length: LIMITS.TAKES_PER_ASSET - 1 }, (_, n) =>
                takeId(`${i}-${asset}-${n}`),
              ),
            },
          ]),
        ),
  }));
  copy.assets.renders = Object.fromEntries(
    AspectRatioSchema.options.map((format) => [
      format,
      {
        video_path: path(`render-${format}`),
        takes: !takes
          ? undefined
          : copy.scenes.map((scene, i) => ({
              scene_id: scene.id,
              video: takeId(`${i}-video-chosen`),
              audio: takeId(`${i}-audio-chosen`),
              voiceover: takeId(`${i}-voiceover-chosen`),
            })),
      },
    ]),
  );
  return ProjectDocSchema.parse(copy);
}

/** The largest take the schema allows: a composition's (its text at its longest) or a voiceover's. */
export function maximalTake(unit: string, asset: 'composition' | 'voiceover'): TakeDoc {
  const text = (max: number) => unit.repeat(max);
  const id = 't'.repeat(LIMITS.TAKE_ID_MAX);
  const files =
    asset === 'composition'
      ? { composition_path: path('c') }
      : { voiceover_path: path('vo'), voiceover_timing_path: path('vt') };
  return TakeDocSchema.parse({
    take_id: id,
    job_id: id,
    scene_id: 's'.repeat(LIMITS.ID_MAX),
    asset,
    files,
    paths: Object.values(files),
    cost_usd: 12.3456,
    created_at: Timestamp.now(),
    made_from: { image: id },
    ...(asset === 'composition'
      ? {
          composition: {
            description: text(LIMITS.COMPOSITION_FIELD_MAX),
            styling: text(LIMITS.COMPOSITION_FIELD_MAX),
            animation: text(LIMITS.COMPOSITION_FIELD_MAX),
          },
        }
      : { voiceover_text: text(LIMITS.VOICEOVER_TEXT_MAX) }),
  });
}
