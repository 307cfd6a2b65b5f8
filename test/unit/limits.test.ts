// Pure parts of the limits and the cost ledger: prices from the table and the providers' figures, the
// jobs a project write ended, the day and month roll-over of spend, what the budget has left, every job
// type's estimate from its definition, and `maxInstances` / App Check on every deployed function.
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it, vi } from 'vitest';
import { JobTypeSchema, type ActiveJobDoc, type ProjectDoc } from '@reelforge/schema';
import { deployedFunctions } from './support/deployed.js';

// What the deploy (or the emulator) resolves the param to; a bare unit process has no params set.
process.env.OPENAI_MODEL = 'gpt-4.1-mini';
vi.mock('../../functions/src/firebase.js', () => ({ functionsAdmin: () => ({}), db: () => ({}) }));

const { PRICES, mediaCost, priceOf, speechCost, tokenCost, transcriptionCost } =
  await import('../../functions/src/providers/prices.js');
const { toPredictionState } = await import('../../functions/src/providers/prediction.js');
const { addToProjectSpend, endedJobs, unfinishedSnapshot } =
  await import('../../functions/src/projects/usage/job-ends.js');
const { emptyUsage, remainingTodayUsd, rollOver } =
  await import('../../functions/src/projects/usage/record.js');
const { costMeter, addActualCost } = await import('../../functions/src/jobs/cost-meter.js');
const { admissionRefusal } = await import('../../functions/src/projects/usage/admission.js');
const { estimateJobCost } = await import('../../functions/src/jobs/estimate.js');
const index = await import('../../functions/src/index.js');

const at = (iso: string) => Timestamp.fromDate(new Date(iso));

function job(id: string, status: ActiveJobDoc['status'], actual?: number): ActiveJobDoc {
  const now = at('2026-11-25T10:00:00Z');
  return {
    job_id: id,
    type: 'image',
    status,
    progress: 0,
    started_at: now,
    last_update: now,
    attempt: 1,
    ...(actual !== undefined ? { cost: { estimated_usd: 0.003, actual_usd: actual } } : {}),
  };
}

function project(jobs: (ActiveJobDoc | null)[]): ProjectDoc {
  return {
    scenes: jobs.map((j, i) => ({ id: `s${i}`, active_job: j })),
    active_job: null,
  } as unknown as ProjectDoc;
}

describe('prices', () => {
  it('names a source and a date for every price in the table', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../functions/src/providers/prices.ts', import.meta.url), 'utf8');
    const lines = text.split('\n');
    for (const model of Object.keys(PRICES)) {
      const row = lines.findIndex((l) => l.includes(`'${model}':`));
      // The comment block right above the row.
      let first = row;
      while (lines[first - 1]?.trim().startsWith('//')) first -= 1;
      expect(lines.slice(first, row).join(' '), model).toMatch(/https:\/\/\S+.*read \d{4}-\d{2}/i);
    }
  });

  it('prices images per output, video per second, GPU models by predict_time, tokens per 1k, speech per 1k chars', () => {
    expect(mediaCost({ kind: 'scene_image', model: 'black-forest-labs/flux-schnell', images: 4 })).toBe(
      0.012,
    );
    // Video by the resolution the model is asked for: the project's (1080p when not said).
    const clip = { kind: 'video', model: 'bytedance/seedance-1-lite', seconds: 5 } as const;
    expect(mediaCost({ ...clip, resolution: '720p' })).toBe(0.18);
    expect(mediaCost({ ...clip, resolution: '1080p' })).toBe(0.405);
    expect(mediaCost(clip)).toBe(0.405);
    expect(mediaCost({ kind: 'video', model: 'kwaivgi/kling-v2.1', seconds: 3, resolution: '1080p' })).toBe(
      0.45,
    );
    const musicgen = 'meta/musicgen:671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb';
    expect(mediaCost({ kind: 'audio', model: musicgen, seconds: 10 })).toBe(0.028); // estimate: 2 GPU-s per s
    expect(mediaCost({ kind: 'audio', model: musicgen, seconds: 10 }, 12.5)).toBe(0.0175); // measured
    expect(tokenCost('gpt-4.1-mini', { input_tokens: 1000, output_tokens: 1000 })).toBe(0.002);
    expect(speechCost('tts-1', 2000)).toBe(0.03);
  });

  it('prices an unknown model like the dearest of its kind', () => {
    expect(priceOf('someone/new-video-model', 'video')).toEqual(PRICES['kwaivgi/kling-v2.1']);
    expect(priceOf('gpt-9', 'language')).toEqual(PRICES['gpt-4.1']);
  });

  it("reads Replicate's metrics.predict_time", () => {
    expect(
      toPredictionState({ id: 'p', status: 'succeeded', metrics: { predict_time: 3.25 } }).predictSeconds,
    ).toBe(3.25);
    expect(toPredictionState({ id: 'p', status: 'processing' }).predictSeconds).toBeUndefined();
  });
});

describe('cost meter', () => {
  it('books answers on every execution, predictions only when the job ends there', () => {
    const meter = costMeter();
    meter.tokens('gpt-4.1-mini', { input_tokens: 1000, output_tokens: 500 });
    meter.media({ kind: 'scene_image', model: 'black-forest-labs/flux-schnell', images: 1 });
    expect(meter.usd(false)).toBe(0.0012);
    expect(meter.usd(true)).toBe(0.0042);
    const j = job('a', 'processing');
    addActualCost(j, 0.5);
    addActualCost(j, 0.25);
    expect(j.cost).toEqual({ estimated_usd: 0, actual_usd: 0.75 });
  });
});

describe('metering what the providers bill (issue #23 item 9)', () => {
  it('prices kling and wan at their 5 s minimum clip, and a failed clip at nothing', () => {
    const at720 = { kind: 'video', resolution: '720p' } as const;
    expect(mediaCost({ ...at720, model: 'kwaivgi/kling-v2.1', seconds: 2 })).toBe(0.25);
    expect(mediaCost({ ...at720, model: 'wan-video/wan-2.2-i2v-fast', seconds: 3 })).toBe(0.1125);
    expect(mediaCost({ ...at720, model: 'kwaivgi/kling-v2.1', seconds: 7 })).toBe(0.35);
    expect(mediaCost({ kind: 'video', model: 'kwaivgi/kling-v2.1', seconds: 0 })).toBe(0);
  });

  it('books a failed prediction at once (its retry starts a new one) and meters the transcription', () => {
    const meter = costMeter();
    const musicgen = 'meta/musicgen';
    meter.media({ kind: 'audio', model: musicgen, seconds: 0 }, 10, { resumable: false });
    expect(meter.usd(false)).toBe(0.014); // 10 GPU-s x $0.0014, booked on a re-queue too
    meter.transcription('whisper-1', 30);
    expect(transcriptionCost('whisper-1', 30)).toBe(0.003);
    expect(meter.usd(false)).toBe(0.017);
  });

  it('estimates the voiceover with its transcription, and scene text by the size of its storyboard', () => {
    const scene = { id: 's', duration_seconds: 5, voiceover_text: 'Fresh from the oven.' };
    const base = { storyboard: {}, settings: {} };
    const voice = estimateJobCost('voiceover', {
      project: { ...base, scenes: [scene] } as unknown as ProjectDoc,
      scene: scene as ProjectDoc['scenes'][number],
    });
    expect(voice).toBe(0.0008); // 20 characters of speech ($0.0003), 5 s of whisper-1 ($0.0005)
    const long = Array.from({ length: 20 }, (_, i) => ({
      id: `s${i}`,
      title: 'x'.repeat(100),
      description: 'y'.repeat(2000),
      duration_seconds: 1,
    }));
    const project = { ...base, scenes: long } as unknown as ProjectDoc;
    // 20 scenes of 2,100 characters: a prompt of 42k+ bytes, past the fixed 4k-token ceiling.
    expect(estimateJobCost('scene_text', { project })).toBeGreaterThan(
      tokenCost('gpt-4.1-mini', { input_tokens: 46_000, output_tokens: 1000 }),
    );
  });
});

describe('jobs a project write ended', () => {
  const now = at('2026-11-25T12:00:00Z');

  it('finds jobs that finished, went with their scene, or went with the project', () => {
    const running = [
      job('a', 'processing'),
      job('b', 'queued'),
      job('c', 'processing'),
      job('d', 'completed'),
    ];
    const before = unfinishedSnapshot(project(running));
    expect([...before.keys()]).toEqual(['a', 'b', 'c']);
    const after = project([
      { ...running[0]!, status: 'completed', cost: { estimated_usd: 0, actual_usd: 0.1 } },
      running[1]!,
    ]);
    const ended = endedJobs(before, after, now);
    expect(ended.map((e) => [e.job.job_id, e.job.status])).toEqual([
      ['a', 'completed'],
      ['c', 'canceled'],
    ]);
    addToProjectSpend(after, ended);
    addToProjectSpend(after, [{ job: job('e', 'failed', 0.05), ended_at: now }]);
    expect(after.spend).toEqual({ cost_usd: 0.15, jobs: 3 });
    expect(endedJobs(before, null, now).map((e) => e.job.status)).toEqual([
      'canceled',
      'canceled',
      'canceled',
    ]);
  });
});

describe('a job ended under its running execution', () => {
  const now = at('2026-11-25T12:00:00Z');
  const lease = at('2026-11-25T12:10:00Z');
  const held = (id: string): ActiveJobDoc => ({ ...job(id, 'processing'), lease_until: lease });

  it('keeps the lease of a job canceled or deleted while held, so its slot waits for the execution', () => {
    const before = unfinishedSnapshot(project([held('a'), held('b'), held('c'), job('d', 'processing')]));
    const after = project([
      { ...held('a'), status: 'canceled', lease_until: null },
      // Ended by its own execution, which clears the lease in the same write.
      { ...held('b'), status: 'completed', lease_until: null },
      { ...job('d', 'processing'), status: 'canceled' },
    ]);
    const ended = endedJobs(before, after, now);
    expect(ended.map((e) => [e.job.job_id, e.execution_until?.toMillis()])).toEqual([
      ['a', lease.toMillis()],
      ['b', undefined],
      // Gone with its scene while held.
      ['c', lease.toMillis()],
      // Canceled while no execution held it (queued, or waiting for a webhook).
      ['d', undefined],
    ]);
    // A lease already run out: its execution is gone, nothing to wait for.
    expect(endedJobs(before, null, at('2026-11-25T12:11:00Z')).map((e) => e.execution_until)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('usage record', () => {
  it('starts a new day and month of spend, keeping the running jobs', () => {
    const usage = emptyUsage('u', at('2026-11-30T23:59:00Z'));
    usage.spent_today_usd = 3;
    usage.spent_month_usd = 40;
    usage.active.j = {
      project_id: 'p',
      type: 'video',
      estimated_usd: 0.2,
      admitted_at: at('2026-11-30T23:59:00Z'),
    };
    rollOver(usage, at('2026-11-30T23:59:59Z'));
    expect([usage.spent_today_usd, usage.spent_month_usd]).toEqual([3, 40]);
    rollOver(usage, at('2026-12-01T00:00:01Z'));
    expect(usage).toMatchObject({
      day: '2026-12-01',
      spent_today_usd: 0,
      month: '2026-12',
      spent_month_usd: 0,
    });
    expect(Object.keys(usage.active)).toEqual(['j']);
  });

  it("holds running jobs' estimates against today's budget", () => {
    const usage = emptyUsage('u', at('2026-11-25T10:00:00Z'));
    usage.spent_today_usd = 12.5;
    usage.active.j = {
      project_id: 'p',
      type: 'video',
      estimated_usd: 0.5,
      admitted_at: at('2026-11-25T10:00:00Z'),
    };
    const limits = { maxActiveJobs: 10, maxProjects: 100, dailyBudgetUsd: 20 };
    expect(remainingTodayUsd(usage, limits)).toBe(7);
    usage.spent_today_usd = 25;
    expect(remainingTodayUsd(usage, limits)).toBe(0);
  });
});

describe('estimates from the registry', () => {
  const scene = {
    id: 's',
    duration_seconds: 4.2,
    voiceover_text: 'Fresh from the oven.',
  } as ProjectDoc['scenes'][number];
  const p = {
    scenes: [scene],
    settings: { end_card: true, end_card_seconds: 3, target_duration_seconds: 30, languages: ['en'] },
  } as unknown as ProjectDoc;

  it('gives every job type an estimate, the render (our own ffmpeg) at its compute', () => {
    for (const type of JobTypeSchema.options) {
      expect(estimateJobCost(type, { project: p, scene }), type).toBeGreaterThan(0);
    }
    // 2 vCPU and 8 GiB for its 1200 s timeout: 1200 x (2 x $0.000024 + 8 x $0.0000025).
    expect(estimateJobCost('render', { project: p, scene })).toBe(0.0816);
  });

  it('prices video and audio by the whole seconds the models bill, and 12 mood images', () => {
    // seedance at 1080p (the project's default): 5 billed seconds (4.2 rounded up) x $0.081; at 720p x $0.036.
    expect(estimateJobCost('video', { project: p, scene })).toBe(0.405);
    const at720 = { ...p, settings: { ...p.settings, resolution: '720p' as const } };
    expect(estimateJobCost('video', { project: at720, scene })).toBe(0.18);
    // musicgen: 5 s x 2 GPU-s x $0.0014.
    expect(estimateJobCost('audio', { project: p, scene })).toBe(0.014);
    expect(estimateJobCost('image', { project: p, scene })).toBe(0.003);
    // 3 moods x 4 images x $0.003, plus one answer at its token ceiling (4k in + 2k out on gpt-4.1-mini).
    expect(estimateJobCost('moods', { project: p })).toBeCloseTo(0.036 + 0.0016 + 0.0032, 6);
  });
});

describe('deployed functions', () => {
  const deployed = deployedFunctions(index);
  it('caps the instances of every function', () => {
    expect(deployed.size).toBeGreaterThan(20);
    for (const [name, fn] of deployed) {
      expect((fn.__endpoint as { maxInstances?: unknown }).maxInstances, name).toBeDefined();
    }
  });
});

describe("a production's hold on the budget", () => {
  const now = at('2026-11-26T10:00:00Z');
  const limits = { maxActiveJobs: 10, maxProjects: 100, dailyBudgetUsd: 1 };
  const usage = () => ({
    ...emptyUsage('u1', now),
    held: { prod1: { project_id: 'p1', usd: 0.8, day: '2026-11-26' } },
  });
  const job = (estimated_usd: number, production_id?: string) => ({
    job_id: `j${estimated_usd}`,
    project_id: 'p1',
    type: 'video' as const,
    estimated_usd,
    ...(production_id ? { production_id } : {}),
  });

  it('holds its estimate against everyone else, and lets its own jobs draw on it', () => {
    expect(remainingTodayUsd(usage(), limits)).toBeCloseTo(0.2);
    expect(admissionRefusal(usage(), [job(0.5)], limits)?.kind).toBe('budget');
    expect(admissionRefusal(usage(), [job(0.5, 'prod1')], limits)).toBeNull();
    // Past its hold, a job needs the rest from what remains: 0.8 held + 0.2 free.
    expect(admissionRefusal(usage(), [job(1.0, 'prod1')], limits)).toBeNull();
    expect(admissionRefusal(usage(), [job(1.1, 'prod1')], limits)?.message).toMatch(/estimated at \$1\.10/);
  });

  it('goes with its day', () => {
    const next = usage();
    rollOver(next, at('2026-11-27T00:00:01Z'));
    expect(next.held).toEqual({});
  });
});

describe("a production's hand-off: the ending job's slot counts as free", () => {
  const now = at('2026-11-26T10:00:00Z');
  const limits = { maxActiveJobs: 2, maxProjects: 100, dailyBudgetUsd: 1 };
  const slot = (type: 'image' | 'video', estimated_usd: number) => ({
    project_id: 'p1',
    type,
    estimated_usd,
    admitted_at: now,
  });
  const usage = () => ({
    ...emptyUsage('u1', now),
    active: { ending: slot('image', 0.3), other: slot('image', 0.3) },
  });
  const next = { job_id: 'next', project_id: 'p1', type: 'video' as const, estimated_usd: 0.3 };
  const shares = (max: number) =>
    Object.fromEntries(JobTypeSchema.options.map((type) => [type, { max, label: type }])) as never;

  it('for the cap and the queue shares, never for the budget', () => {
    expect(admissionRefusal(usage(), [next], limits)?.kind).toBe('slots');
    expect(admissionRefusal(usage(), [next], limits, undefined, ['ending'])).toBeNull();
    // One slot freed lets one job in, not two.
    expect(
      admissionRefusal(usage(), [next, { ...next, job_id: 'next2' }], limits, undefined, ['ending'])?.kind,
    ).toBe('slots');
    // The queue share sees the ending job's image slot gone too.
    const imageNext = { ...next, type: 'image' as const };
    expect(admissionRefusal(usage(), [imageNext], { ...limits, maxActiveJobs: 9 }, shares(2))?.kind).toBe(
      'slots',
    );
    expect(
      admissionRefusal(usage(), [imageNext], { ...limits, maxActiveJobs: 9 }, shares(2), ['ending']),
    ).toBeNull();
    // Its estimate is still spoken for until its settle books what it actually cost.
    expect(
      admissionRefusal(usage(), [{ ...next, estimated_usd: 0.5 }], limits, undefined, ['ending'])?.kind,
    ).toBe('budget');
  });
});
