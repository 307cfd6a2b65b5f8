// Render formats, read from the schema rather than written here: when `renderProject` takes a `formats`
// list the studio offers its choices, and when the project records one render per format it shows each.
import { CALLABLES, type Project } from '@reelforge/schema';

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

/** Every finished render as [format, storage path]: `assets.renders` when the backend records one per
 * format, else the single final video in the project's aspect ratio. */
export function renderedOutputs(project: Project): [string, string][] {
  const renders = (project.assets as { renders?: unknown }).renders;
  if (renders && typeof renders === 'object') {
    return Object.entries(renders as Record<string, unknown>).flatMap(([format, value]) => {
      const path =
        typeof value === 'string' ? value : (value as { path?: unknown; video_path?: unknown } | null)?.path;
      return typeof path === 'string' ? [[format, path] as [string, string]] : [];
    });
  }
  return project.assets.final_video_path
    ? [[project.settings.aspect_ratio, project.assets.final_video_path]]
    : [];
}
