// A scene added by hand before any mood was chosen still gets a coherent, neutral look.
import type { ProjectDoc } from '@reelforge/schema';
import type { MoodForPrompt } from '../../providers/index.js';

const NEUTRAL_MOOD: MoodForPrompt = {
  name: 'Neutral',
  description: 'clean and natural',
  visual_style: 'clean, natural light, realistic',
  color_palette: [],
  mood_keywords: ['clean', 'natural'],
};

export function moodOrNeutral(project: ProjectDoc): MoodForPrompt {
  return project.storyboard.selected_mood ?? NEUTRAL_MOOD;
}
