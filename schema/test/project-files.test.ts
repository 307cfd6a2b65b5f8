// `projectFilePaths` is the one answer to "which files does this project reference" (the URL signer, the
// storage reconciliation and the releasing writes all use it). This test walks the project schema itself
// and fills every field that holds a Storage path, so a new asset kind added to the schema but not to
// `projectFilePaths` fails here instead of being deleted by the hourly reconciliation in production.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  ProjectSchema,
  StoragePathSchema,
  projectFilePaths,
  type Project,
  type RenderSettings,
} from '@reelforge/schema';
import { wireProject } from './fixtures.js';

/** What a render was made from (`assets.render_settings`) names the bed and logo it read as a record, not a
 * reference: a replaced logo must still be released, so the walk leaves these out and the last test below
 * checks that `projectFilePaths` does too. */
const RECORDS = new Set([
  'assets.render_settings',
  // The same record on a format's part of a running render (it becomes `assets.render_settings` at the end).
  'active_job.parts{}.settings',
  'scenes[].active_job.parts{}.settings',
  // The product image a chosen keyframe was painted with (for staleness): a replaced one is released too.
  'scenes[].takes{}.product_image_path',
]);

const ISO = '2026-01-01T00:00:00.000Z';

/** A step into a value: an object key, every element of an array, or every key of an enum-keyed record. */
type Step = { key: string } | { each: true } | { keys: string[] };
interface Location {
  steps: Step[];
  name: string;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string>;
  in?: z.ZodType;
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Every place in `schema` that holds a StoragePathSchema value. */
function pathLocations(schema: z.ZodType, steps: Step[] = [], name = ''): Location[] {
  if (schema === StoragePathSchema) return [{ steps, name }];
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape ?? {})
        .filter(([key]) => !RECORDS.has(name ? `${name}.${key}` : key))
        .flatMap(([key, field]) => pathLocations(field, [...steps, { key }], name ? `${name}.${key}` : key));
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return pathLocations(def.innerType!, steps, name);
    case 'array':
      return pathLocations(def.element!, [...steps, { each: true }], `${name}[]`);
    case 'record':
      return pathLocations(
        def.valueType!,
        [...steps, { keys: Object.keys(defOf(def.keyType!).entries ?? {}) }],
        `${name}{}`,
      );
    case 'union':
      return (def.options ?? []).flatMap((option) => pathLocations(option, steps, name));
    case 'pipe':
      return pathLocations(def.in!, steps, name);
    default:
      return [];
  }
}

/** Every object key in `schema` whose name says it holds a path, wherever it is. */
function pathNamedKeys(schema: z.ZodType, name = ''): string[] {
  const def = defOf(schema);
  const inner = def.innerType ?? def.element ?? def.valueType ?? def.in;
  if (def.type === 'object') {
    return Object.entries(def.shape ?? {}).flatMap(([key, field]) => {
      const here = name ? `${name}.${key}` : key;
      if (RECORDS.has(here)) return [];
      return [...(/_paths?$|^renders$/.test(key) ? [here] : []), ...pathNamedKeys(field, here)];
    });
  }
  if (def.type === 'array') return pathNamedKeys(def.element!, `${name}[]`);
  if (def.type === 'record') return pathNamedKeys(def.valueType!, `${name}{}`);
  if (def.type === 'union') return (def.options ?? []).flatMap((option) => pathNamedKeys(option, name));
  return inner ? pathNamedKeys(inner, name) : [];
}

/** Writes a unique path into every slot `steps` reaches in `value`; returns the paths written. */
function fill(value: Record<string, unknown>, steps: Step[], label: string): string[] {
  const [step, ...rest] = steps;
  if (!step) throw new Error('a location has at least one step');
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  if ('key' in step) slots.push([value, step.key]);
  else if ('each' in step) {
    const list = value as unknown as unknown[];
    if (list.length === 0) throw new Error(`the fixture has no element at ${label}`);
    list.forEach((_, i) => slots.push([list, i]));
  } else step.keys.forEach((key) => slots.push([value, key]));
  return slots.flatMap(([holder, key], i) => {
    const slotLabel = `${label}/${String(key)}-${i}`;
    if (rest.length === 0) {
      const path = `projects/p1/${slotLabel.replace(/[^a-z0-9/_-]/gi, '_')}.bin`;
      (holder as Record<string | number, unknown>)[key] = path;
      return [path];
    }
    const holderRecord = holder as Record<string | number, unknown>;
    // An optional object the fixture leaves out (e.g. `renders`) is created so its paths can be filled; an
    // entry of the format-keyed `renders` is a pack, which always has its video.
    // A format's part of a running render is a finished part, whose pack (like a `renders` entry) always
    // has its video.
    const pack = { video_path: `projects/p1/${String(key)}-video.mp4` };
    holderRecord[key] ??=
      'keys' in step && /\/parts-\d+$/.test(label)
        ? { status: 'completed', progress: 100, attempt: 1, deliveries: 1, last_update: ISO }
        : 'keys' in step || key === 'pack'
          ? pack
          : {};
    return fill(holderRecord[key] as Record<string, unknown>, rest, slotLabel);
  });
}

describe('projectFilePaths', () => {
  const locations = pathLocations(ProjectSchema);

  it('finds the path-valued fields of the schema (the walk itself works)', () => {
    const names = locations.map((l) => l.name);
    for (const known of [
      'storyboard.selected_mood.image_paths[]',
      'moods[].image_paths[]',
      'scenes[].assets.video_path',
      'assets.final_video_path',
      'assets.renders{}',
      'assets.music_path',
      'assets.logo_path',
    ])
      expect(names).toContain(known);
    // A field named like a path but typed as a plain string would escape the walk: refuse it.
    expect(
      pathNamedKeys(ProjectSchema)
        .map((n) => n.replace(/\{\}$/, ''))
        .sort(),
    ).toEqual([...new Set(names.map((n) => n.replace(/(\[\]|\{\})$/, '')))].sort());
  });

  it.each(locations.map((l) => [l.name, l] as const))('names every path held in %s', (_name, location) => {
    const project = wireProject() as unknown as Record<string, unknown>;
    const written = fill(project, location.steps, location.name);
    expect(ProjectSchema.safeParse(project).success).toBe(true);
    expect(projectFilePaths(project as unknown as Project)).toEqual(expect.arrayContaining(written));
  });

  it('names each file once', () => {
    const project = wireProject();
    const paths = projectFilePaths(project);
    expect(paths.length).toBe(new Set(paths).size);
  });

  it('does not name the files a render record names: a replaced logo or bed is still released', () => {
    const project = wireProject();
    const recorded: RenderSettings = {
      aspect_ratio: '9:16',
      resolution: '1080p',
      captions: true,
      transition: 'cut',
      transition_seconds: 0.5,
      end_card: true,
      end_card_seconds: 3,
      brand_name: 'Brand',
      palette: ['#111111'],
      logo_path: 'projects/p1/brand/logo-old.png',
      music_path: 'projects/p1/music/old.mp3',
    };
    project.assets.render_settings = { '9:16': recorded };
    expect(ProjectSchema.safeParse(project).success).toBe(true);
    expect(projectFilePaths(project)).not.toContain(recorded.logo_path);
    expect(projectFilePaths(project)).not.toContain(recorded.music_path);
  });

  it('does not name the product image a keyframe was painted with: a replaced one is still released', () => {
    const project = wireProject();
    const old = 'projects/p1/brand/product-old.png';
    project.scenes[0]!.takes = { image: { chosen: 'k1', product_image_path: old } };
    expect(ProjectSchema.safeParse(project).success).toBe(true);
    expect(projectFilePaths(project)).not.toContain(old);
  });
});
