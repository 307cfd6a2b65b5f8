// Render formats, read from the schema rather than written here: when `renderProject` takes a `formats`
// list the studio offers its choices, and when the project records one render per format it shows each.
import { CALLABLES, type AspectRatio, type Project } from '@reelforge/schema';

interface SchemaLike {
  options?: unknown;
  element?: unknown;
  unwrap?: () => unknown;
}

/** The string choices of an enum, looking through optional/default/array wrappers. */
export function enumChoices(schema: unknown): string[] | undefined {
  let current = schema as SchemaLike | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    const { options } = current;
    if (Array.isArray(options) && options.every((o) => typeof o === 'string')) return options as string[];
    current = (current.element ?? current.unwrap?.()) as SchemaLike | undefined;
  }
  return undefined;
}

/** The formats `renderProject` accepts, or undefined when it renders the project's one format. */
export function renderFormatChoices(): string[] | undefined {
  const shape = (CALLABLES.renderProject.request as unknown as { shape?: Record<string, unknown> }).shape;
  return enumChoices(shape?.formats);
}

/** Every finished render as [format, storage path]: `assets.renders` (one per format, the schema's shape),
 * else the single final video in the project's aspect ratio. */
export function renderedOutputs(project: Project): [AspectRatio, string][] {
  const renders = Object.entries(project.assets.renders ?? {}).filter(
    (entry): entry is [AspectRatio, string] => typeof entry[1] === 'string',
  );
  if (renders.length > 0) return renders;
  return project.assets.final_video_path
    ? [[project.settings.aspect_ratio, project.assets.final_video_path]]
    : [];
}
