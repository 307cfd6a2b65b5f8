// Render formats, read from the schema rather than written here: when `renderProject` takes a `formats`
// list the studio offers its choices, and when the project records one render per format it shows each.
import {
  CALLABLES,
  languageOf,
  parseRenderKey,
  renderSettingsChanges,
  renderSettingsFor,
  type AspectRatio,
  type Project,
  type RenderKey,
  type RenderSettings,
  type RenderedFormat,
} from '@reelforge/schema';

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
export function renderFormatChoices(): AspectRatio[] | undefined {
  const shape = (CALLABLES.renderProject.request as unknown as { shape?: Record<string, unknown> }).shape;
  // The choices of its `formats` field, an array of the AspectRatio enum.
  return enumChoices(shape?.formats) as AspectRatio[] | undefined;
}

/** Every finished render as [its key (a format, or format@language), its delivery pack]: `assets.renders`,
 * else the single final video in the project's aspect ratio. */
export function renderedOutputs(project: Project): [RenderKey, RenderedFormat][] {
  const renders = Object.entries(project.assets.renders ?? {}).filter(
    (entry): entry is [RenderKey, RenderedFormat] => entry[1] !== undefined,
  );
  if (renders.length > 0) return renders;
  return project.assets.final_video_path
    ? [[project.settings.aspect_ratio, { video_path: project.assets.final_video_path }]]
    : [];
}

/** How the studio names each setting a render is made from. */
const SETTING_NAMES: Record<keyof RenderSettings, string> = {
  aspect_ratio: 'aspect ratio',
  resolution: 'resolution',
  captions: 'captions',
  transition: 'transition',
  transition_seconds: 'transition length',
  end_card: 'end card',
  end_card_seconds: 'end card length',
  brand_name: 'brand name',
  call_to_action: 'call to action',
  palette: 'mood colours',
  logo_path: 'logo',
  music_path: 'music bed',
  product_image_path: 'product image',
  disclaimer: 'disclaimer',
  language: 'language',
};

/** The settings changed since `format` was rendered, as the studio names them; empty when it is up to date
 * or when the render recorded nothing (made before renders recorded their settings). */
export function changedSinceRender(project: Project, key: RenderKey): string[] {
  const recorded = project.assets.render_settings?.[key];
  if (!recorded) return [];
  const current = renderSettingsFor(project, parseRenderKey(key)?.language);
  return renderSettingsChanges(recorded, current).map((name) => SETTING_NAMES[name]);
}

/** What the studio calls one rendered file: its format, and its language when it is not the storyboard's. */
export function renderName(key: RenderKey): string {
  const parsed = parseRenderKey(key);
  return parsed?.language ? `${parsed.format} in ${parsed.language}` : key;
}

/** The rendered files as a grid: one row per language (the storyboard's first, then the settings' order, then
 * any no longer in the settings), each with its formats. */
export function renderGrid(
  project: Project,
): { language: string | undefined; title: string; files: [RenderKey, RenderedFormat][] }[] {
  const outputs = renderedOutputs(project);
  const languageOfKey = (key: RenderKey) => parseRenderKey(key)?.language;
  const others = [
    ...project.settings.languages.slice(1),
    ...outputs.map(([key]) => languageOfKey(key)).filter((l): l is string => !!l),
  ];
  const order = [undefined, ...new Set(others)];
  const name = (tag: string) => `${languageOf(tag).name} (${tag})`;
  return order
    .map((language) => ({
      language,
      title: name(language ?? project.settings.languages[0] ?? 'en'),
      files: outputs.filter(([key]) => languageOfKey(key) === language),
    }))
    .filter((row) => row.files.length > 0);
}
