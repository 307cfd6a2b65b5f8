// The studio's "settings changed since this render": the render's record against the project's settings.
import { describe, expect, it } from 'vitest';
import { renderSettingsOf, type Project } from '@reelforge/schema';
import { changedSinceRender } from '../src/lib/formats.js';

function project(): Project {
  return {
    id: 'p1',
    settings: {
      aspect_ratio: '9:16',
      target_duration_seconds: 30,
      captions: true,
      transition: 'crossfade',
      transition_seconds: 0.5,
      end_card: true,
      end_card_seconds: 3,
    },
    storyboard: { creative_brief: { brand_name: 'Glowbrew' }, selected_mood: null },
    assets: { renders: { '9:16': 'projects/p1/renders/a-9x16.mp4' } },
  } as unknown as Project;
}

describe('changedSinceRender', () => {
  it('names the settings changed since the format was rendered', () => {
    const p = project();
    p.assets.render_settings = { '9:16': renderSettingsOf(p) };
    expect(changedSinceRender(p, '9:16')).toEqual([]);
    p.settings.captions = false;
    p.storyboard.creative_brief.call_to_action = 'Order today';
    expect(changedSinceRender(p, '9:16')).toEqual(['captions', 'call to action']);
  });

  it('says nothing for a render that recorded no settings', () => {
    expect(changedSinceRender(project(), '9:16')).toEqual([]);
  });
});
