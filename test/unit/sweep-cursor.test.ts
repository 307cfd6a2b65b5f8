// The paging decision of the reconciliations (storage prefixes, usage records): a run takes a bounded
// slice after the persisted cursor, the next run starts after what it finished, a run cut short by its time
// budget resumes where it stopped, and the run that finishes the last slice wraps around. Walked over a
// keyspace run after run, every key is reached within ceil(keys / limit) runs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  afterCursor,
  nextCursor,
  sliceAfter,
  withinBudget,
} from '../../functions/src/projects/sweep-cursor.js';

/** One run over `keys`: the cursor it leaves and what it reached, finishing at most `budget` keys. */
function run(keys: readonly string[], cursor: string | null, limit: number, budget = Infinity) {
  const listed = afterCursor(keys, cursor);
  // The listing reads `limit + 1` keys, as the callers do, so it knows whether more follow.
  const page = listed.slice(0, limit + 1);
  const slice = sliceAfter(page.slice(0, limit), limit, page.length > limit);
  const done = slice.take.slice(0, budget);
  return { next: nextCursor(slice, done, cursor), done };
}

describe('sweep cursor', () => {
  it('takes at most the limit after the cursor, in key order', () => {
    const keys = ['d/', 'a/', 'c/', 'b/', 'e/'];
    expect(run(keys, null, 2)).toEqual({ next: 'b/', done: ['a/', 'b/'] });
    expect(run(keys, 'b/', 2)).toEqual({ next: 'd/', done: ['c/', 'd/'] });
    // The last slice wraps the cursor around: the next run starts from the first key again.
    expect(run(keys, 'd/', 2)).toEqual({ next: null, done: ['e/'] });
    expect(run(keys, null, 2).done).toEqual(['a/', 'b/']);
  });

  it('a slice that exactly ends the keyspace wraps around; one that only fills the limit does not', () => {
    expect(run(['a/', 'b/'], null, 2).next).toBeNull();
    expect(run(['a/', 'b/', 'c/'], null, 2).next).toBe('b/');
  });

  it('a run stopped by its budget resumes after the last key it finished, never wraps', () => {
    expect(run(['a/', 'b/', 'c/'], null, 5, 1)).toEqual({ next: 'a/', done: ['a/'] });
    // A run that finished nothing leaves the cursor where it was.
    expect(run(['a/', 'b/', 'c/'], 'a/', 5, 0)).toEqual({ next: 'a/', done: [] });
    expect(run(['a/', 'b/', 'c/'], null, 5, 0)).toEqual({ next: null, done: [] });
  });

  it('orders keys as a listing does: "a-b/" before "a/"', () => {
    // Ids may hold "-" and "_": with their delimiter they sort as the bucket lists prefixes.
    expect(afterCursor(['a/', 'a-b/', 'a_b/'], null)).toEqual(['a-b/', 'a/', 'a_b/']);
    expect(afterCursor(['a/', 'a-b/', 'a_b/'], 'a-b/')).toEqual(['a/', 'a_b/']);
  });

  it('reaches every key within ceil(keys / limit) runs from any cursor', () => {
    const key = fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/).map((id) => `${id}/`);
    fc.assert(
      fc.property(
        fc.uniqueArray(key, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.option(key, { nil: null }),
        (keys, limit, start) => {
          const seen = new Set<string>();
          let cursor = start;
          // One lap from an arbitrary cursor, plus the partial slice it started in the middle of.
          const runs = Math.ceil(keys.length / limit) + 1;
          for (let i = 0; i < runs; i++) {
            const { next, done } = run(keys, cursor, limit);
            done.forEach((k) => seen.add(k));
            cursor = next;
          }
          expect([...seen].sort()).toEqual([...keys].sort());
        },
      ),
    );
  });

  it('stops before the budget', () => {
    expect(withinBudget(1_000, 1_000 + 419_999, 420_000)).toBe(true);
    expect(withinBudget(1_000, 1_000 + 420_000, 420_000)).toBe(false);
  });
});
