// The ad settings form's update (only what changed) and its field errors by path.
import { describe, expect, it } from 'vitest';
import { ReelforgeError } from '@reelforge/client';
import type { Project } from '@reelforge/schema';
import { adSettingsOf, adSettingsPatch, fieldMessages } from '../src/lib/adSettings.js';

function project(cta?: string): Project {
  return {
    id: 'p1',
    storyboard: { creative_brief: { brand_name: 'Glowbrew', ...(cta ? { call_to_action: cta } : {}) } },
    settings: { end_card: true, end_card_seconds: 3, captions: true, languages: ['en'] },
  } as unknown as Project;
}

describe('adSettingsPatch', () => {
  it('is undefined while nothing changed, text compared trimmed', () => {
    const p = project('Order today');
    expect(adSettingsPatch(p, adSettingsOf(p))).toBeUndefined();
    expect(adSettingsPatch(p, { ...adSettingsOf(p), brand_name: ' Glowbrew ' })).toBeUndefined();
  });

  it('sends only the changed brief fields and settings', () => {
    const p = project();
    expect(adSettingsPatch(p, { ...adSettingsOf(p), call_to_action: 'Order today' })).toEqual({
      project_id: 'p1',
      creative_brief: { call_to_action: 'Order today' },
    });
    expect(adSettingsPatch(p, { ...adSettingsOf(p), captions: false, end_card_seconds: 5 })).toEqual({
      project_id: 'p1',
      settings: { captions: false, end_card_seconds: 5 },
    });
    expect(adSettingsPatch(p, { ...adSettingsOf(p), brand_name: 'Glowbrew Night', end_card: false })).toEqual(
      {
        project_id: 'p1',
        creative_brief: { brand_name: 'Glowbrew Night' },
        settings: { end_card: false },
      },
    );
  });

  it('sends a cleared call to action as such, for the backend to judge', () => {
    const p = project('Order today');
    expect(adSettingsPatch(p, { ...adSettingsOf(p), call_to_action: '' })).toEqual({
      project_id: 'p1',
      creative_brief: { call_to_action: '' },
    });
  });
});

describe('the languages field', () => {
  it('sends the typed tags as a list, and nothing while they are the stored ones', () => {
    const p = project();
    expect(adSettingsOf(p).languages).toBe('en');
    expect(adSettingsPatch(p, { ...adSettingsOf(p), languages: ' en ,es-MX,, ja ' })).toEqual({
      project_id: 'p1',
      settings: { languages: ['en', 'es-MX', 'ja'] },
    });
    expect(adSettingsPatch(p, { ...adSettingsOf(p), languages: 'en,' })).toBeUndefined();
  });

  it("shows a refused tag's message under the list", () => {
    const err = new ReelforgeError('invalid-argument', 'bad', [
      { path: 'settings.languages.1', message: '"ko" is not a language the ad can be made in' },
    ]);
    expect(fieldMessages(err)).toEqual({
      'settings.languages': '"ko" is not a language the ad can be made in',
    });
  });
});

describe('fieldMessages', () => {
  it('maps an invalid-argument failure to messages by field path, joining repeats', () => {
    const err = new ReelforgeError('invalid-argument', 'bad', [
      { path: 'creative_brief.call_to_action', message: 'too long' },
      { path: 'settings.end_card_seconds', message: 'at most 8' },
      { path: 'settings.end_card_seconds', message: 'a number' },
    ]);
    expect(fieldMessages(err)).toEqual({
      'creative_brief.call_to_action': 'too long',
      'settings.end_card_seconds': 'at most 8; a number',
    });
  });

  it('is empty for other failures and for none', () => {
    expect(fieldMessages(new ReelforgeError('resource-exhausted', 'budget'))).toEqual({});
    expect(fieldMessages(undefined)).toEqual({});
  });
});
