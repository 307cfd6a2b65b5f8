// The ad's other languages as the project document holds them (`localizations`, made by the translate job):
// what a translation is made from, so that an edit to a line, a scene's length or the call to action makes
// it out of date, and the production, the render and the studio can tell.
import { createHash } from 'node:crypto';
import type { ProjectDoc } from '@reelforge/schema';

/** The scenes in the ad's order, with their lines (a silent scene stays silent in every language). */
export function orderedScenes(project: ProjectDoc) {
  return [...project.scenes].sort((a, b) => a.scene_number - b.scene_number);
}

/** What a translation is made from: the scenes' lines and lengths, the call to action and the brand. A
 * change to any of them makes the translation out of date. */
export function localizationBasis(project: ProjectDoc, language: string): string {
  const source = JSON.stringify({
    language,
    from: project.settings.languages[0],
    brand: project.storyboard.creative_brief.brand_name,
    cta: project.storyboard.creative_brief.call_to_action ?? null,
    scenes: orderedScenes(project).map((s) => [s.id, s.voiceover_text?.trim() ?? '', s.duration_seconds]),
  });
  return createHash('sha256').update(source).digest('hex').slice(0, 32);
}

/** Whether the project's translation into `language` is there and made from the storyboard as it is. */
export function localizationCurrent(project: ProjectDoc, language: string): boolean {
  const made = project.localizations?.[language];
  return !!made && made.basis === localizationBasis(project, language);
}
