// Benchmark 6, admission: one user fires 200 job starts at once (10 projects x 20 scenes, one keyframe
// image job per scene: the image queue's per-user share, a third of its 30 dispatches, is the cap itself)
// while 10 other users start one job each. Exactly USER_MAX_ACTIVE_JOBS (10) may be admitted
// and the rest refused with resource-exhausted. Figures: admitted, refused, start-call p50/p95 of both, and
// the other users' start p95 during the burst as a ratio to the same starts with nobody else busy (one
// user's backlog must not slow anyone else's starts).
//
// The callables run in this process (bench/lib/in-process.ts), as one Cloud Functions instance would run
// them; the functions emulator would start a worker process per concurrent request.
import { randomUUID } from 'node:crypto';
import type { ProjectDoc } from '@reelforge/schema';
import { LIMIT_DEFAULTS } from '../functions/src/config.js';
import type { Benchmark } from './lib/bench.js';
import { startInProcessFunctions, type InProcessFunctions } from './lib/in-process.js';
import type { Check } from './lib/report.js';
import { seedProject } from './lib/seed.js';
import { standin, withStandinConfig } from './lib/harness.js';
import { percentile, round } from './lib/stats.js';
import { callerAuth } from './lib/caller.js';

/** The default limit; set explicitly because an earlier benchmark of the same run may have raised it. */
const LIMIT = LIMIT_DEFAULTS.maxActiveJobs;
const ISOLATION_TARGET = 2;

interface Timed {
  ms: number;
  ok: boolean;
  code?: string;
}

async function timedStart(host: InProcessFunctions, uid: string, project: ProjectDoc, sceneId: string) {
  const t = Date.now();
  try {
    await host.bundle.generateSceneAsset.run({
      data: { project_id: project.id, scene_id: sceneId, type: 'image' },
      auth: await callerAuth(uid),
    });
    return { ms: Date.now() - t, ok: true } satisfies Timed;
  } catch (err) {
    return { ms: Date.now() - t, ok: false, code: String((err as { code?: unknown }).code) } satisfies Timed;
  }
}

/** One start for each of `count` fresh users, all at once. */
async function othersStart(host: InProcessFunctions, count: number): Promise<Timed[]> {
  const users = await Promise.all(
    Array.from({ length: count }, async () => {
      const uid = `bench-other-${randomUUID()}`;
      return { uid, project: await seedProject({ uid, scenes: 1 }) };
    }),
  );
  return Promise.all(users.map(({ uid, project }) => timedStart(host, uid, project, project.scenes[0]!.id)));
}

export const admission: Benchmark = {
  name: 'admission',
  summary: `200 simultaneous starts from one user: exactly ${LIMIT} admitted, start p95, others unaffected`,
  needs: 'harness',
  smoke: { starts: '20', others: '2' },
  options: {
    starts: {
      description: 'simultaneous starts from the busy user (10 projects share them)',
      default: '200',
    },
    others: { description: 'other users starting one job each during the burst', default: '10' },
  },
  async run(options) {
    const starts = Math.round(options.number('starts'));
    const others = Math.round(options.number('others'));
    const uid = `bench-admission-${randomUUID()}`;
    const host = await startInProcessFunctions({ USER_MAX_ACTIVE_JOBS: String(LIMIT) });
    try {
      const perProject = Math.ceil(starts / 10);
      const projects = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          seedProject({ uid, scenes: perProject, name: `admission ${i + 1}` }),
        ),
      );
      const targets = projects
        .flatMap((project) => project.scenes.map((scene) => ({ project, sceneId: scene.id })))
        .slice(0, starts);

      // Baseline: the other users' starts with nobody else busy (also warms the in-process code).
      const alone = await othersStart(host, others);
      // The admitted jobs must still be running when the last start is decided: a job that ends frees its
      // slot, and a start after that is rightly admitted. So the language model answers only after a while.
      const { burst, during, burstS } = await withStandinConfig({ slowMs: 30_000 }, async () => {
        await standin.addFault({ target: 'openai', fault: 'slow' });
        const started = Date.now();
        const [b, d] = await Promise.all([
          Promise.all(targets.map((t) => timedStart(host, uid, t.project, t.sceneId))),
          othersStart(host, others),
        ]);
        const seconds = (Date.now() - started) / 1000;
        await standin.clearFaults();
        return { burst: b, during: d, burstS: seconds };
      });

      const admitted = burst.filter((r) => r.ok);
      const refused = burst.filter((r) => !r.ok);
      const wrongCode = refused.filter((r) => r.code !== 'resource-exhausted');
      const p95 = (rs: Timed[]) =>
        percentile(
          rs.map((r) => r.ms),
          95,
        );
      const p50 = (rs: Timed[]) =>
        percentile(
          rs.map((r) => r.ms),
          50,
        );
      const isolation = p95(during) / p95(alone);
      const checks: Check[] = [
        {
          kind: 'correctness',
          name: `exactly ${LIMIT} of ${starts} admitted, the rest refused with resource-exhausted`,
          ok: admitted.length === LIMIT && refused.length === starts - LIMIT && wrongCode.length === 0,
          detail:
            `${admitted.length} admitted, ${refused.length} refused` +
            (wrongCode[0] ? `, one with ${wrongCode[0].code}` : ''),
        },
        {
          kind: 'correctness',
          name: 'every other user was admitted',
          ok: alone.every((r) => r.ok) && during.every((r) => r.ok),
          detail: `${during.filter((r) => r.ok).length}/${others} during the burst`,
        },
        {
          kind: 'target',
          name: `other users' start p95 during the burst at most ${ISOLATION_TARGET}x their p95 alone`,
          ok: isolation <= ISOLATION_TARGET,
          detail: `${round(isolation, 2)} (${round(p95(during))} ms vs ${round(p95(alone))} ms)`,
        },
      ];
      return {
        tables: [
          {
            title: `${starts} simultaneous starts from one user (limit ${LIMIT}), ${others} other users meanwhile`,
            columns: [
              'starts',
              'admitted',
              'refused',
              'admitted p50/p95 ms',
              'refused p50/p95 ms',
              'all answered s',
            ],
            rows: [
              [
                starts,
                admitted.length,
                refused.length,
                `${round(p50(admitted))} / ${round(p95(admitted))}`,
                `${round(p50(refused))} / ${round(p95(refused))}`,
                round(burstS, 1),
              ],
            ],
          },
          {
            title: 'other users: one start each',
            columns: ['when', 'p50 ms', 'p95 ms'],
            rows: [
              ['nobody else busy', round(p50(alone)), round(p95(alone))],
              [`during the ${starts}-start burst`, round(p50(during)), round(p95(during))],
            ],
          },
        ],
        figures: {
          starts,
          admitted: admitted.length,
          refused: refused.length,
          admitted_p95_ms: round(p95(admitted)),
          refused_p95_ms: round(p95(refused)),
          start_p95_ms: round(p95(burst)),
          others_p95_alone_ms: round(p95(alone)),
          others_p95_during_ms: round(p95(during)),
          isolation_ratio: round(isolation, 2),
        },
        checks,
        notes: [
          'functions in-process (callables and tasks of functions/lib); see the comment at the top of bench/admission.ts.',
        ],
      };
    } finally {
      await host.close();
    }
  },
};
