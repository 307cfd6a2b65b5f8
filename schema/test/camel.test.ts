import { describe, expect, it } from 'vitest';
import { ProjectSchema, toCamel, toSnake } from '@reelforge/schema';
import type { ProjectCamel } from '@reelforge/schema';
import { wireProject } from './fixtures.js';

describe('camelCase view', () => {
  it('round-trips a complete project both ways', () => {
    const project = wireProject();
    const camel: ProjectCamel = toCamel(project);
    expect(toSnake(camel)).toEqual(project);
    expect(toCamel(toSnake(camel))).toEqual(camel);
    expect(ProjectSchema.parse(toSnake(camel))).toEqual(project);
  });

  it('renames keys deeply and leaves values alone', () => {
    const camel = toCamel(wireProject());
    expect(camel.storyboard.creativeBrief.brandName).toBe('Morning Brew');
    expect(camel.scenes[1]?.sceneNumber).toBe(2);
    expect(camel.scenes[0]?.activeJob?.lastUpdate).toBe(wireProject().scenes[0]?.active_job?.last_update);
    expect(camel.stats.oldestActiveUpdate).toBe(wireProject().stats.oldest_active_update);
    expect(camel.storyboard.selectedMood?.colorPalette).toHaveLength(3);
    expect(JSON.stringify(camel)).not.toMatch(/"[a-z]+_[a-z_]+":/);
    // Values such as enum members and paths keep their underscores.
    expect(toCamel({ job_type: 'scene_text' })).toEqual({ jobType: 'scene_text' });
  });
});
