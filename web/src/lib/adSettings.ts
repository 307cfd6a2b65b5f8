// The ad's settings form: what it edits, and the update that sends only what changed (an update never
// resets a field the person did not touch, and two tabs editing different fields do not undo each other).
import type { Project, Resolution, UpdateProjectRequest } from '@reelforge/schema';
import type { ReelforgeError } from '@reelforge/client';

export interface AdSettingsDraft {
  brand_name: string;
  call_to_action: string;
  end_card: boolean;
  end_card_seconds: number;
  captions: boolean;
  resolution: Resolution;
  /** The end card's fine print, drawn exactly; empty for none. */
  disclaimer: string;
  /** The ad's languages as typed: BCP-47 tags separated by commas, the storyboard's own first. */
  languages: string;
}

/** `en, es-MX ,ja` -> ['en', 'es-MX', 'ja']. */
export function languageList(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
}

export function adSettingsOf(project: Project): AdSettingsDraft {
  const brief = project.storyboard.creative_brief;
  return {
    brand_name: brief.brand_name,
    call_to_action: brief.call_to_action ?? '',
    end_card: project.settings.end_card,
    end_card_seconds: project.settings.end_card_seconds,
    captions: project.settings.captions,
    resolution: project.settings.resolution,
    disclaimer: project.settings.disclaimer ?? '',
    languages: project.settings.languages.join(', '),
  };
}

/** The `updateProject` request for the fields the draft changed, or undefined when nothing changed. Text is
 * compared trimmed, as the backend stores it. */
export function adSettingsPatch(project: Project, draft: AdSettingsDraft): UpdateProjectRequest | undefined {
  const now = adSettingsOf(project);
  const brief: NonNullable<UpdateProjectRequest['creative_brief']> = {};
  if (draft.brand_name.trim() !== now.brand_name) brief.brand_name = draft.brand_name;
  if (draft.call_to_action.trim() !== now.call_to_action) brief.call_to_action = draft.call_to_action;
  const settings: NonNullable<UpdateProjectRequest['settings']> = {};
  if (draft.end_card !== now.end_card) settings.end_card = draft.end_card;
  if (draft.end_card_seconds !== now.end_card_seconds) settings.end_card_seconds = draft.end_card_seconds;
  if (draft.captions !== now.captions) settings.captions = draft.captions;
  if (draft.resolution !== now.resolution) settings.resolution = draft.resolution;
  if (draft.disclaimer.trim() !== now.disclaimer) settings.disclaimer = draft.disclaimer.trim();
  const languages = languageList(draft.languages);
  if (languages.join(', ') !== now.languages) settings.languages = languages;
  if (!Object.keys(brief).length && !Object.keys(settings).length) return undefined;
  return {
    project_id: project.id,
    ...(Object.keys(brief).length ? { creative_brief: brief } : {}),
    ...(Object.keys(settings).length ? { settings } : {}),
  };
}

/** An `invalid-argument` failure's messages by field path (`creative_brief.call_to_action`), so a form can
 * show each under its field; several messages for one field are joined. */
export function fieldMessages(error: ReelforgeError | undefined): Record<string, string> {
  const byPath: Record<string, string> = {};
  for (const { path: named, message } of error?.fieldErrors ?? []) {
    // A list's element is shown under its list (`settings.languages.1` under the languages).
    const path = named.replace(/\.\d+$/, '');
    byPath[path] = byPath[path] ? `${byPath[path]}; ${message}` : message;
  }
  return byPath;
}
