// A render's settings as one value: the render job takes it from the project when it starts, renders from
// it and records it per format (`assets.render_settings`); the studio compares the record with the
// project's current value to show which settings changed since a format was rendered.
import type { CreativeBrief, ProjectSettings, RenderSettings } from './project.js';

/** The palette of a project with no mood chosen: a dark card with white text. */
export const DEFAULT_PALETTE: readonly string[] = ['#111111', '#ffffff'];

/** The structural part of a project (document or wire form) a render reads its settings from. */
export interface ProjectWithRenderSettings {
  settings: ProjectSettings;
  storyboard: {
    creative_brief: Pick<CreativeBrief, 'brand_name' | 'call_to_action'>;
    selected_mood: { color_palette: readonly string[] } | null;
  };
  assets: {
    logo_path?: string | undefined;
    music_path?: string | undefined;
    product_image_path?: string | undefined;
  };
  /** The ad's other languages (the translate job): their call to action. */
  localizations?: Partial<Record<string, { call_to_action?: string | undefined }>> | undefined;
}

/** What a render of the project as it stands would be made from. */
export function renderSettingsOf(project: ProjectWithRenderSettings): RenderSettings {
  const { settings, storyboard, assets } = project;
  const mood = storyboard.selected_mood;
  const brief = storyboard.creative_brief;
  return {
    aspect_ratio: settings.aspect_ratio,
    resolution: settings.resolution,
    captions: settings.captions,
    transition: settings.transition,
    transition_seconds: settings.transition_seconds,
    end_card: settings.end_card,
    end_card_seconds: settings.end_card_seconds,
    brand_name: brief.brand_name,
    ...(brief.call_to_action ? { call_to_action: brief.call_to_action } : {}),
    palette: [...(mood?.color_palette.length ? mood.color_palette : DEFAULT_PALETTE)],
    // Without an end card the logo is not drawn, so it is not part of what the render was made from.
    ...(settings.end_card && assets.logo_path ? { logo_path: assets.logo_path } : {}),
    ...(assets.music_path ? { music_path: assets.music_path } : {}),
    ...(settings.end_card && assets.product_image_path
      ? { product_image_path: assets.product_image_path }
      : {}),
    ...(settings.disclaimer ? { disclaimer: settings.disclaimer } : {}),
  };
}

/** What a render in `language` (one of the ad's other languages; absent for the storyboard's own) would be
 * made from: the same, in that language, with its translated call to action. */
export function renderSettingsFor(project: ProjectWithRenderSettings, language?: string): RenderSettings {
  const settings = renderSettingsOf(project);
  if (!language) return settings;
  const { call_to_action: _own, ...rest } = settings;
  const translated = project.localizations?.[language]?.call_to_action;
  return { ...rest, ...(translated ? { call_to_action: translated } : {}), language };
}

/** The settings that differ between a recorded render and another (the project's current ones), in the
 * record's key order; empty when the render is up to date. */
export function renderSettingsChanges(
  recorded: RenderSettings,
  current: RenderSettings,
): (keyof RenderSettings)[] {
  const keys = new Set([...Object.keys(recorded), ...Object.keys(current)] as (keyof RenderSettings)[]);
  return [...keys].filter((key) => JSON.stringify(recorded[key]) !== JSON.stringify(current[key]));
}
