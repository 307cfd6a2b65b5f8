// The production panel's and "Make the ad"'s readings of `project.production`, on plain values.
import { describe, expect, it } from 'vitest';
import { ProductionStatusSchema, type Production, type Project } from '@reelforge/schema';
import {
  PRODUCTION_STATUS_WORDS,
  blockedSubject,
  formatElapsed,
  makeAdBlocker,
  productionElapsedMs,
  productionRequest,
} from '../src/lib/production.js';

const START = '2026-11-25T10:00:00.000Z';
const startMs = Date.parse(START);

function production(patch: Partial<Production> = {}): Production {
  return {
    production_id: 'prod',
    status: 'running',
    started_at: START,
    formats: ['9:16'],
    from_brief: false,
    estimate_usd: 0.5,
    spent_usd: 0,
    steps_done: 0,
    steps_total: 8,
    blocked: [],
    ...patch,
  };
}

const scenes = [{ id: 's1', scene_number: 2 }] as unknown as Project['scenes'];

describe('productionRequest', () => {
  it('asks from the brief, with the scene count, only when the project has no scenes', () => {
    expect(productionRequest({ id: 'p', scenes: [] }, ['9:16', '16:9'], 3)).toEqual({
      project_id: 'p',
      formats: ['9:16', '16:9'],
      from_brief: true,
      scene_count: 3,
    });
    expect(productionRequest({ id: 'p', scenes }, ['9:16'], 3)).toEqual({
      project_id: 'p',
      formats: ['9:16'],
    });
  });

  it('leaves formats out when the studio has no choice of them (the project’s own format)', () => {
    expect(productionRequest({ id: 'p', scenes }, undefined, 3)).toEqual({ project_id: 'p' });
  });
});

describe('makeAdBlocker', () => {
  it('blocks while a production runs or waits, and without a format; not once it ended', () => {
    for (const status of ProductionStatusSchema.options) {
      const blocked = makeAdBlocker({ production: production({ status }) }, ['9:16']);
      expect(!!blocked, status).toBe(status === 'running' || status === 'waiting');
    }
    expect(makeAdBlocker({ production: null }, [])).toMatch(/format/);
    expect(makeAdBlocker({ production: null }, undefined)).toBeUndefined();
  });
});

describe('the panel’s figures', () => {
  it('words every status', () => {
    for (const status of ProductionStatusSchema.options) expect(PRODUCTION_STATUS_WORDS[status]).toBeTruthy();
    expect(PRODUCTION_STATUS_WORDS.completed).toMatch(/^Completed/);
  });

  it('times from the start to the end, or to now while it has not ended', () => {
    expect(productionElapsedMs(production(), startMs + 65_000)).toBe(65_000);
    const ended = production({ finished_at: '2026-11-25T10:02:00.000Z' });
    expect(productionElapsedMs(ended, startMs + 999_000)).toBe(120_000);
    // A clock behind the server's never shows a negative time.
    expect(productionElapsedMs(production(), startMs - 5_000)).toBe(0);
  });

  it('formats a duration', () => {
    expect(formatElapsed(999)).toBe('0 s');
    expect(formatElapsed(45_400)).toBe('45 s');
    expect(formatElapsed(185_000)).toBe('3 min 05 s');
    expect(formatElapsed(3_720_000)).toBe('1 h 02 min');
  });

  it('names a blocked step by its scene, or the project’s step', () => {
    const block = { scene_id: 's1', step: 'video' as const, reason: 'r' };
    expect(blockedSubject(block, { scenes })).toBe('Scene 2 video');
    expect(blockedSubject({ ...block, scene_id: 'gone' }, { scenes })).toBe("A deleted scene's video");
    expect(blockedSubject({ step: 'music', reason: 'r' }, { scenes })).toBe('Music bed');
    expect(blockedSubject({ step: 'budget', reason: 'r' }, { scenes })).toBe('Daily budget');
  });
});
