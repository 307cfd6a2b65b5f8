// Benchmark 14, languages: what more languages and formats cost against one ad. Two identical projects with a
// drafted storyboard, on the emulators: (a) the ad in one language and one format, (b) the same ad in
// `--languages` languages and `--formats` formats, each made by one startProduction. Measured in one run:
// provider calls and cost of each (from the stand-in's counters and the ledger), what a language costs (its
// translate job: one answer, then each line's speech and transcription), that (b) makes no more images, clips
// or music than (a), and the render's wall time: the matrix's render job against the single format's, and the
// longest of its file tasks against the single one (each file is its own task on its own instance in
// production; here they share this machine's cores, so the job's wall time is an upper bound).
import { randomUUID } from 'node:crypto';
import {
  AspectRatioSchema,
  LanguagesSchema,
  isActiveProductionStatus,
  type LedgerEntryDoc,
  type ProjectDoc,
} from '@reelforge/schema';
import { connectClient, type DemoClient } from '../scripts/demo/client.js';
import { eventually, ledgerOf } from '../test/e2e/limits/support.js';
import type { Benchmark } from './lib/bench.js';
import { standin } from './lib/harness.js';
import type { Check } from './lib/report.js';
import { round } from './lib/stats.js';
import { ProjectWatch } from './lib/watch.js';
import { draftedProject, providerCalls } from './production.js';

const LANGUAGE_POOL = ['en', 'es', 'de', 'ja', 'ar', 'fr', 'it', 'pt', 'zh', 'he'];

interface Made {
  wallS: number;
  calls: number;
  media: number;
  costUsd: number;
  ledger: LedgerEntryDoc[];
  renderS: number;
  /** Seconds each file of the render was processing, by its key (first seen processing to completed). */
  partS: Record<string, number>;
  /** Translated lines too long for their scene, asked once to be said shorter (an answer, a speech, a
   * transcription more each). */
  shortened: number;
}

async function produce(client: DemoClient, project: ProjectDoc, formats: string[]): Promise<Made> {
  const watch = await ProjectWatch.start(project.id);
  try {
    const before = await standin.stats();
    const mediaBefore = before.predictionsCreated;
    const sentBefore = (await standin.requests()).length;
    const t0 = Date.now();
    const { production_id } = await client.call('startProduction', {
      project_id: project.id,
      formats: formats.map((f) => AspectRatioSchema.parse(f)),
    });
    const done = await watch.waitFor(
      (p) => p.production?.production_id === production_id && !isActiveProductionStatus(p.production.status),
      20 * 60_000,
      'the production to end',
    );
    const wallS = (Date.now() - t0) / 1000;
    if (done.production?.status !== 'completed') {
      throw new Error(
        `the production ${done.production?.status}: ${JSON.stringify(done.production?.blocked)}`,
      );
    }
    const after = await standin.stats();
    const ledger = await eventually(
      async () => (await ledgerOf(project.id)).filter((e) => e.production_id === production_id),
      (entries) => entries.length >= done.production!.steps_done,
    );
    const render = ledger.find((e) => e.type === 'render')!;
    const seen: Record<string, { from?: number; to?: number }> = {};
    for (const w of watch.writes) {
      const job = w.project.active_job;
      if (job?.type !== 'render') continue;
      for (const [key, part] of Object.entries(job.parts ?? {})) {
        const at = (seen[key] ??= {});
        if (part?.status === 'processing') at.from ??= w.updatedAt;
        if (part?.status === 'completed') at.to ??= w.updatedAt;
      }
    }
    const partS = Object.fromEntries(
      Object.entries(seen).map(([key, t]) => [key, t.from && t.to ? (t.to - t.from) / 1000 : Number.NaN]),
    );
    const sent = (await standin.requests()).slice(sentBefore);
    return {
      shortened: sent.filter((r) => r.body.includes('Say the same thing in about')).length,
      wallS,
      calls: providerCalls(after) - providerCalls(before),
      media: after.predictionsCreated - mediaBefore,
      costUsd: done.production!.spent_usd,
      ledger,
      renderS: (render.ended_at.toMillis() - render.started_at.toMillis()) / 1000,
      partS,
    };
  } finally {
    watch.stop();
  }
}

const costOf = (ledger: readonly LedgerEntryDoc[], type: string) =>
  ledger.filter((e) => e.type === type).reduce((sum, e) => sum + e.actual_usd, 0);

export const languages: Benchmark = {
  name: 'languages',
  summary:
    'one ad in N languages x M formats vs one language and one format: provider calls, cost, render wall time',
  needs: 'harness',
  smoke: { languages: '2', formats: '1', scenes: '1' },
  options: {
    languages: { description: `languages of the matrix (2-${LANGUAGE_POOL.length})`, default: '5' },
    formats: { description: 'formats of the matrix (1-4)', default: '4' },
    scenes: { description: 'scenes the storyboard is drafted with', default: '3' },
  },
  async run(options) {
    const count = Math.min(LANGUAGE_POOL.length, Math.max(2, Math.round(options.number('languages'))));
    const tags = LanguagesSchema.parse(LANGUAGE_POOL.slice(0, count));
    const formats = AspectRatioSchema.options.slice(
      0,
      Math.min(4, Math.max(1, Math.round(options.number('formats')))),
    );
    const scenes = Math.round(options.number('scenes'));
    const client = await connectClient();
    try {
      const [one, matrix] = await Promise.all(
        ['one', 'matrix'].map((label) =>
          draftedProject(client, scenes, `languages ${label} ${randomUUID().slice(0, 8)}`),
        ),
      );
      await client.call('updateProject', { project_id: matrix!.id, settings: { languages: tags } });
      const a = await produce(client, one!, [formats[0]!]);
      const b = await produce(client, matrix!, formats);
      const perLanguage = costOf(b.ledger, 'translate') / (count - 1);
      const single = Object.values(a.partS)[0] ?? a.renderS;
      const longest = Math.max(...Object.values(b.partS).filter(Number.isFinite));
      const checks: Check[] = [
        {
          kind: 'correctness',
          name: 'the matrix makes no more images, clips or music than the one ad',
          ok: b.media === a.media,
          detail: `${b.media} predictions vs ${a.media}`,
        },
        {
          kind: 'correctness',
          name: 'every file of the matrix rendered, one per language and format',
          ok: Object.keys(b.partS).length === count * formats.length,
          detail: `${Object.keys(b.partS).length} files for ${count} x ${formats.length}`,
        },
        {
          kind: 'correctness',
          name: 'each other language one translate job, its calls one answer and two per line (three more per line shortened)',
          ok:
            b.ledger.filter((e) => e.type === 'translate').length === count - 1 &&
            b.calls - a.calls === (count - 1) * (1 + 2 * scenes) + 3 * b.shortened,
          detail: `${b.calls - a.calls} more calls for ${count - 1} languages of ${scenes} lines, ${b.shortened} shortened`,
        },
      ];
      const figures = {
        languages: count,
        formats: formats.length,
        scenes,
        one_calls: a.calls,
        matrix_calls: b.calls,
        one_cost_usd: round(a.costUsd, 4),
        matrix_cost_usd: round(b.costUsd, 4),
        cost_per_language_usd: round(perLanguage, 4),
        lines_shortened: b.shortened,
        one_render_s: round(a.renderS, 1),
        matrix_render_s: round(b.renderS, 1),
        matrix_render_ratio: round(b.renderS / a.renderS, 2),
        longest_file_s: round(longest, 1),
        single_file_s: round(single, 1),
        longest_file_ratio: round(longest / single, 2),
      };
      return {
        tables: [
          {
            title: 'cost by job type (ledger, USD)',
            columns: ['type', 'one ad', 'matrix'],
            rows: [...new Set([...a.ledger, ...b.ledger].map((e) => e.type))].map((type) => [
              type,
              round(costOf(a.ledger, type), 4),
              round(costOf(b.ledger, type), 4),
            ]),
          },
          {
            title: 'render files (s processing, first seen to completed)',
            columns: ['file', 'seconds'],
            rows: Object.entries(b.partS).map(([key, s]) => [key, round(s, 1)]),
          },
        ],
        figures,
        checks,
        notes: [
          `languages ${tags.join(', ')}; formats ${formats.join(', ')}; the stand-in's default latencies.`,
          `the matrix's ${count * formats.length} render tasks share this machine's cores; in production each is its own instance, so its render takes about the longest file's time.`,
        ],
      };
    } finally {
      await client.close();
    }
  },
};
