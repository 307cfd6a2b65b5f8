// A listener's two snapshots: which unfinished jobs the later one holds another job in the place of (the
// production's completing write puts the next step there, so their completed state is never seen).
import { describe, expect, it } from 'vitest';
import { replacedInPlace } from '../src/index.js';

type Job = { job_id: string; status: 'queued' | 'processing' | 'completed' | 'failed' | 'canceled' };
const job = (job_id: string, status: Job['status'] = 'processing'): Job => ({ job_id, status });
const doc = (project: Job | null, ...scenes: (Job | null)[]) => ({
  active_job: project,
  scenes: scenes.map((active_job, i) => ({ id: `s${i}`, active_job })),
});

describe('replacedInPlace', () => {
  it('finds the unfinished jobs another job took the place of, in the project and in each scene', () => {
    const before = doc(job('moods'), job('image-1'), job('image-2'), job('video-3', 'failed'));
    const after = doc(job('storyboard', 'queued'), job('video-1', 'queued'), job('image-2'), job('video-3b'));
    expect(replacedInPlace(before, after).map((r) => [r.job.job_id, r.successor.job_id])).toEqual([
      ['moods', 'storyboard'],
      ['image-1', 'video-1'],
    ]);
  });

  it('finds none for a job still there, one whose place is empty now, or a scene that is gone', () => {
    expect(replacedInPlace(doc(null, job('a'), job('b')), doc(null, job('a', 'completed')))).toEqual([]);
    expect(replacedInPlace(doc(job('m')), doc(null))).toEqual([]);
  });
});
