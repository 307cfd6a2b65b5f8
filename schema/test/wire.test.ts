import { describe, expect, it } from 'vitest';
import { ProjectSchema, toWire } from '@reelforge/schema';
import { FakeTimestamp, docProject, iso, wireProject } from './fixtures.js';

describe('toWire', () => {
  it('turns every nested timestamp into an ISO string', () => {
    const wire = toWire(docProject());
    expect(wire.scenes[1]?.active_job?.last_update).toBe(iso(51));
    expect(wire.scenes[0]?.composition?.generated_at).toBe(iso(42));
    expect(wire.stats.oldest_active_update).toBe(iso(50));
    expect(wire).toEqual(wireProject());
    expect(ProjectSchema.parse(wire)).toEqual(wireProject());
  });

  it('leaves the document untouched and keeps nulls, numbers and strings', () => {
    const doc = docProject();
    toWire(doc);
    expect(doc.created_at).toBeInstanceOf(FakeTimestamp);
    expect(toWire({ a: null, b: 3, c: 'x', d: [new FakeTimestamp(0)] })).toEqual({
      a: null,
      b: 3,
      c: 'x',
      d: ['1970-01-01T00:00:00.000Z'],
    });
  });
});
