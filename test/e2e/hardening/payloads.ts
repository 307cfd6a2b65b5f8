// Generated request payloads for every callable: well-shaped ones (whose ids come from a pool that mixes the
// victim's ids, the attacker's own and ids that exist nowhere), the same with one value anywhere in them
// replaced by something hostile, a key dropped or a key added, and payloads of no sensible shape at all.
import fc from 'fast-check';
import { LIMITS, type CallableName } from '@reelforge/schema';

export interface IdPool {
  projects: string[];
  scenes: string[];
  moods: string[];
  jobs: string[];
}

type Payload = Record<string, unknown>;

/** Strings a validator must not trip over: empty, control characters, traversal, huge, odd Unicode. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,130}$/),
  fc.constantFrom(
    '',
    '   ',
    '\u0000',
    '\u202e\u200b',
    '../../etc/passwd',
    'projects/other/scenes/x',
    '__proto__',
    'constructor',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '{"$gt":""}',
    'a'.repeat(LIMITS.ID_MAX + 1),
    '界'.repeat(LIMITS.SCENE_TEXT_MAX + 1),
    '😀'.repeat(1_000),
    'x'.repeat(100_000),
  ),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, 0.5),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
  fc.array(hostileString, { maxLength: 25 }),
  fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }),
);

const extraKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'user_id',
    'id',
    'stats',
    'uid',
    'auth',
  ),
  fc.string({ maxLength: 12 }),
);

const text = (max: number) =>
  fc.string({ minLength: 1, maxLength: Math.min(max, 60) }).filter((s) => s.trim() !== '');
const brief = fc.record(
  {
    brand_name: text(LIMITS.NAME_MAX),
    product_description: text(LIMITS.BRIEF_FIELD_MAX),
    target_audience: text(LIMITS.BRIEF_FIELD_MAX),
    key_message: text(LIMITS.BRIEF_FIELD_MAX),
    tone: text(LIMITS.BRIEF_FIELD_MAX),
    notes: fc.string({ maxLength: 60 }),
  },
  { requiredKeys: ['brand_name', 'product_description', 'target_audience', 'key_message', 'tone'] },
);
const settings = fc.record(
  {
    aspect_ratio: fc.constantFrom('9:16', '16:9'),
    target_duration_seconds: fc.integer({ min: 5, max: 120 }),
  },
  { requiredKeys: [] },
);

/** A JWT-looking token: three base64url parts, the header naming an algorithm and a key id. */
const jwtLike = fc
  .tuple(
    fc.constantFrom('RS256', 'ES256', 'HS256', 'none'),
    fc.jsonValue({ maxDepth: 1 }),
    fc.string({ maxLength: 40 }),
  )
  .map(([alg, claims, sig]) =>
    [JSON.stringify({ alg, kid: 'k1', typ: 'JWT' }), JSON.stringify(claims), sig]
      .map((part) => Buffer.from(part).toString('base64url'))
      .join('.'),
  );

/** Well-shaped payloads of each callable. */
export function templates(pool: IdPool): Record<CallableName, fc.Arbitrary<Payload>> {
  const from = (ids: string[]) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ids) }, hostileString);
  const project = from(pool.projects);
  const scene = from(pool.scenes);
  const job = from(pool.jobs);
  const assetType = fc.constantFrom('composition', 'image', 'video', 'audio', 'voiceover');
  const record = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T) =>
    fc.record(model, { requiredKeys: [] }) as unknown as fc.Arbitrary<Payload>;
  const required = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T) =>
    fc.record(model) as unknown as fc.Arbitrary<Payload>;
  return {
    createProject: required({ name: text(LIMITS.NAME_MAX), creative_brief: brief, settings }),
    listProjects: record({ limit: fc.integer({ min: 1, max: LIMITS.PAGE_SIZE_MAX }), cursor: hostileString }),
    getProject: required({ project_id: project }),
    updateProject: fc
      .tuple(
        required({ project_id: project }),
        record({
          name: text(LIMITS.NAME_MAX),
          description: fc.string({ maxLength: 60 }),
          title: text(LIMITS.TITLE_MAX),
          settings,
        }),
      )
      .map(([ids, rest]) => ({ ...ids, ...rest })),
    deleteProject: required({ project_id: project }),
    selectMood: required({ project_id: project, mood_id: from(pool.moods) }),
    addScene: fc
      .tuple(
        required({
          project_id: project,
          title: text(LIMITS.TITLE_MAX),
          description: text(LIMITS.SCENE_TEXT_MAX),
          duration_seconds: fc.double({ min: 1, max: 10, noNaN: true }),
        }),
        record({ position: fc.integer({ min: 1, max: 30 }) }),
      )
      .map(([a, b]) => ({ ...a, ...b })),
    updateScene: fc
      .tuple(
        required({ project_id: project, scene_id: scene }),
        record({
          title: text(LIMITS.TITLE_MAX),
          description: text(LIMITS.SCENE_TEXT_MAX),
          duration_seconds: fc.integer({ min: 1, max: 10 }),
          voiceover_text: fc.string({ maxLength: 240 }),
        }),
      )
      .map(([a, b]) => ({ ...a, ...b })),
    deleteScene: required({ project_id: project, scene_id: scene }),
    reorderScenes: required({
      project_id: project,
      scene_ids: fc.uniqueArray(scene, { minLength: 1, maxLength: 5 }),
    }),
    getAssetUrls: required({ project_id: project }),
    chooseTake: required({ project_id: project, scene_id: scene, asset: assetType, take_id: job }),
    pinTake: required({
      project_id: project,
      scene_id: scene,
      asset: assetType,
      take_id: job,
      pinned: fc.boolean(),
    }),
    deleteTake: required({ project_id: project, scene_id: scene, asset: assetType, take_id: job }),
    exchangeClerkToken: required({ token: fc.oneof(jwtLike, hostileString) }),
    generateMoods: required({ project_id: project }),
    generateStoryboard: fc
      .tuple(
        required({ project_id: project }),
        record({ scene_count: fc.integer({ min: 1, max: LIMITS.MAX_SCENES }) }),
      )
      .map(([a, b]) => ({ ...a, ...b })),
    generateSceneAsset: required({
      project_id: project,
      scene_id: scene,
      type: fc.constantFrom('composition', 'image', 'video', 'audio', 'voiceover'),
    }),
    regenerateSceneText: fc
      .tuple(
        required({ project_id: project, scene_id: scene }),
        record({ instructions: fc.string({ maxLength: 60 }) }),
      )
      .map(([a, b]) => ({ ...a, ...b })),
    cancelJob: required({ project_id: project, job_id: job }),
    retryJob: required({ project_id: project, job_id: job }),
    renderProject: fc
      .tuple(
        required({ project_id: project }),
        record({
          formats: fc.uniqueArray(fc.constantFrom('9:16', '16:9', '1:1', '4:5', '3:2'), { maxLength: 5 }),
        }),
      )
      .map(([a, b]) => ({ ...a, ...b })),
    generateMusic: required({ project_id: project }),
    translateProject: required({ project_id: project, language: fc.constantFrom('es', 'de', 'ja', 'ar') }),
    setLogo: required({
      project_id: project,
      image_base64: fc.oneof(
        fc.constant(null),
        fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')),
        hostileString,
      ),
    }),
    setProductImage: required({
      project_id: project,
      upload_path: fc.oneof(fc.constant(null), fc.constant('uploads/u/images/x.png'), hostileString),
    }),
    setSceneClip: required({
      project_id: project,
      scene_id: scene,
      upload_path: fc.oneof(fc.constant(null), fc.constant('uploads/u/clips/x.mp4'), hostileString),
    }),
    generateAll: fc
      .tuple(
        required({ project_id: project, type: fc.constantFrom('composition', 'image', 'video', 'audio') }),
        record({ scene_ids: fc.array(scene, { minLength: 1, maxLength: 3 }) }),
      )
      .map(([a, b]) => ({ ...a, ...b })),
    estimateCost: fc
      .tuple(
        required({
          project_id: project,
          type: fc.constantFrom('moods', 'storyboard', 'image', 'video', 'render'),
        }),
        record({ scene_ids: fc.array(scene, { minLength: 1, maxLength: 3 }) }),
      )
      .map(([a, b]) => ({ ...a, ...b })),
    getUsage: fc.constant({}),
    ...(Object.fromEntries(
      (['startProduction', 'estimateProduction'] as const).map((name) => [
        name,
        fc
          .tuple(
            required({ project_id: project }),
            record({
              formats: fc.uniqueArray(fc.constantFrom('9:16', '16:9', '1:1', '4:5', '3:2'), { maxLength: 5 }),
              from_brief: fc.oneof(fc.boolean(), hostileString),
              scene_count: fc.oneof(fc.integer({ min: -2, max: 25 }), hostileString),
            }),
          )
          .map(([a, b]) => ({ ...a, ...b })),
      ]),
    ) as Record<'startProduction' | 'estimateProduction', fc.Arbitrary<Payload>>),
    cancelProduction: required({ project_id: project }),
    retryProduction: required({ project_id: project }),
  };
}

/** Every place in a JSON value where a value sits: [] is the root, ['a', 0] is value.a[0]. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value)) return here.concat(value.flatMap((v, i) => paths(v, [...prefix, i])));
  if (typeof value === 'object' && value !== null) {
    return here.concat(Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k])));
  }
  return here;
}

function edit(
  value: unknown,
  path: (string | number)[],
  change: (parent: Record<string | number, unknown>, key: string | number) => void,
): unknown {
  const copy = structuredClone(value);
  if (path.length === 0) return copy;
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  change(parent, path[path.length - 1]!);
  return copy;
}

/** A payload for `name`: well shaped, mutated somewhere, or shapeless. */
export function payloadFor(base: fc.Arbitrary<Payload>): fc.Arbitrary<unknown> {
  const at = (p: Payload, n: number) => {
    const all = paths(p).filter((path) => path.length > 0);
    return all[n % Math.max(1, all.length)] ?? [];
  };
  return fc.oneof(
    { weight: 3, arbitrary: base },
    {
      weight: 4,
      arbitrary: fc.tuple(base, fc.nat(), hostileValue).map(([p, n, v]) =>
        edit(p, at(p, n), (parent, key) => {
          parent[key] = v;
        }),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(base, fc.nat()).map(([p, n]) =>
        edit(p, at(p, n), (parent, key) => {
          if (Array.isArray(parent)) parent.splice(Number(key), 1);
          else delete parent[key];
        }),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(base, extraKey, hostileValue).map(([p, k, v]) => {
        const copy = structuredClone(p);
        Object.defineProperty(copy, k, { value: v, enumerable: true, configurable: true, writable: true });
        return copy;
      }),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(null, [], '', 0, true, 'x'.repeat(10_000), [{ project_id: 'x' }]),
    },
  );
}
