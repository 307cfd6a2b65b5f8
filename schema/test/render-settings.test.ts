// What a render is made from, as one value: taken from the project (renderSettingsOf), recorded per format
// by the render, and compared with the project's current value (renderSettingsChanges) to show what
// changed since a format was rendered.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PALETTE,
  RenderSettingsSchema,
  renderSettingsChanges,
  renderSettingsOf,
} from '@reelforge/schema';
import { wireProject } from './fixtures.js';

describe('renderSettingsOf', () => {
  it('takes the settings, the card’s words and colours, and the files the render reads', () => {
    const project = wireProject();
    project.assets.logo_path = 'projects/p1/brand/logo-1.png';
    project.assets.music_path = 'projects/p1/music/bed-1.mp3';
    project.storyboard.creative_brief.call_to_action = 'Order today';
    const settings = renderSettingsOf(project);
    expect(RenderSettingsSchema.parse(settings)).toEqual(settings);
    expect(settings).toMatchObject({
      aspect_ratio: project.settings.aspect_ratio,
      captions: project.settings.captions,
      end_card: project.settings.end_card,
      brand_name: project.storyboard.creative_brief.brand_name,
      call_to_action: 'Order today',
      palette: project.storyboard.selected_mood!.color_palette,
      logo_path: 'projects/p1/brand/logo-1.png',
      music_path: 'projects/p1/music/bed-1.mp3',
    });
  });

  it('leaves out a logo no card shows, and falls back to the default palette without a mood', () => {
    const project = wireProject();
    project.assets.logo_path = 'projects/p1/brand/logo-1.png';
    project.settings.end_card = false;
    project.storyboard.selected_mood = null;
    const settings = renderSettingsOf(project);
    expect(settings.logo_path).toBeUndefined();
    expect(settings.palette).toEqual(DEFAULT_PALETTE);
  });
});

describe('renderSettingsChanges', () => {
  it('names what differs from the record, and nothing for an up-to-date render', () => {
    const project = wireProject();
    const recorded = renderSettingsOf(project);
    expect(renderSettingsChanges(recorded, renderSettingsOf(project))).toEqual([]);
    project.settings.captions = !project.settings.captions;
    project.storyboard.creative_brief.call_to_action = 'A new line';
    project.assets.logo_path = 'projects/p1/brand/logo-2.png';
    expect(renderSettingsChanges(recorded, renderSettingsOf(project)).sort()).toEqual(
      ['call_to_action', 'captions', 'logo_path'].sort(),
    );
  });
});
