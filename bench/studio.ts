// Benchmark 6, the studio: (a) from a job status write in Firestore to the browser showing it, as a person
// watching a job sees it (Debian's Chromium on the studio the Hosting emulator serves, the SDK's listener,
// React's render), p50 and p95, target p95 under 300 ms; (b) the studio's JavaScript as shipped, gzipped,
// target under 300 KB. Each sample writes the project's job with a new progress value through firebase-admin
// (as a task does) and times it until that value is on the page, observed in the page by a MutationObserver;
// (c) two tabs of one signed-in person on the project: how far apart they show the same write, target p95
// under 1 s (the promise of test/browser/live.test.ts, which checks the behaviour and prints its own times).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Timestamp } from 'firebase-admin/firestore';
import { ROOT } from '../scripts/harness/env.js';
import { newJob } from '../functions/src/jobs/state.js';
import { TestClient, projectDoc } from '../test/e2e/support/index.js';
import { PASSWORD, STUDIO, launchChromium, shownAt } from '../test/browser/support.js';
import type { Benchmark } from './lib/bench.js';
import { seedProject } from './lib/seed.js';
import { percentile, round, sleep } from './lib/stats.js';
import { createUserWithEmailAndPassword } from 'firebase/auth';
import { randomUUID } from 'node:crypto';

const TARGET_P95_MS = 300;
const TARGET_JS_KB = 300;
const TARGET_TABS_GAP_MS = 1000;
const DIST = join(ROOT, 'web', 'dist');

/** Every JavaScript file the studio ships, with its gzipped size. */
export function studioJs(): { file: string; bytes: number; gzip: number }[] {
  const assets = join(DIST, 'assets');
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((file) => {
      const body = readFileSync(join(assets, file));
      return { file, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
    });
}

export const studio: Benchmark = {
  name: 'studio',
  summary: 'job status write -> studio shows it (p50/p95, in Chromium); studio JS gzipped',
  needs: 'harness',
  smoke: { samples: '5' },
  options: {
    samples: { description: 'status writes to time', default: '40' },
  },
  async run(options) {
    const samples = options.number('samples');
    const js = studioJs();
    const jsKb = js.reduce((sum, f) => sum + f.gzip, 0) / 1024;

    // A person with a project whose moods job is running, signed in to the studio in Chromium.
    const email = `bench-${randomUUID().slice(0, 8)}@reelforge.test`;
    const client = TestClient.anonymous();
    await createUserWithEmailAndPassword(client.auth, email, PASSWORD);
    const project = await seedProject({ uid: client.uid, scenes: 1, name: 'Bench project' });
    const ref = projectDoc(project.id);
    const job = { ...newJob('moods', Timestamp.now()), status: 'processing' as const };
    await ref.update({ active_job: job });

    const browser = await launchChromium();
    const latencies: number[] = [];
    const gaps: number[] = [];
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(STUDIO);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Your projects' }).waitFor();
      await page.goto(`${STUDIO}/projects/${project.id}`);
      await page.getByRole('status', { name: 'Moods status' }).waitFor();
      // The second tab shares the first one's signed-in session (one browser profile).
      const other = await context.newPage();
      await other.goto(`${STUDIO}/projects/${project.id}`);
      await other.getByRole('status', { name: 'Moods status' }).waitFor();

      for (let i = 1; i <= samples; i++) {
        const progress = i % 99 || 99;
        const seen = shownAt(page, 'output', `processing ${progress}%`);
        const seenThere = shownAt(other, 'output', `processing ${progress}%`);
        await sleep(20); // the observers are installed before the write
        const t0 = Date.now();
        await ref.update({ 'active_job.progress': progress, 'active_job.last_update': Timestamp.now() });
        const [here, there] = await Promise.all([seen, seenThere]);
        latencies.push(here - t0);
        gaps.push(Math.abs(there - here));
        await sleep(50);
      }
    } finally {
      await browser.close();
      await client.close();
    }

    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    const gapP95 = percentile(gaps, 95);
    return {
      tables: [
        {
          title: `job status write -> shown in the studio (${samples} writes)`,
          columns: ['p50 ms', 'p95 ms', 'max ms', 'target p95 ms'],
          rows: [[p50, p95, Math.max(...latencies), TARGET_P95_MS]],
        },
        {
          title: `the same write in two tabs: how far apart they show it (${samples} writes)`,
          columns: ['p50 ms', 'p95 ms', 'max ms', 'target p95 ms'],
          rows: [[percentile(gaps, 50), gapP95, Math.max(...gaps), TARGET_TABS_GAP_MS]],
        },
        {
          title: 'studio JavaScript (web/dist/assets)',
          columns: ['file', 'KB', 'KB gzipped'],
          rows: js.map((f) => [f.file, round(f.bytes / 1024, 1), round(f.gzip / 1024, 1)]),
        },
      ],
      figures: {
        status_p50_ms: p50,
        status_p95_ms: p95,
        status_p95_vs_target: round(p95 / TARGET_P95_MS, 2),
        tabs_gap_p95_ms: gapP95,
        js_gzip_kb: round(jsKb, 1),
        js_vs_target: round(jsKb / TARGET_JS_KB, 2),
      },
      checks: [
        {
          kind: 'correctness',
          name: 'every status write reached the page',
          ok: latencies.length === samples,
          detail: `${latencies.length}/${samples}`,
        },
        {
          kind: 'target',
          name: `status p95 under ${TARGET_P95_MS} ms`,
          ok: p95 < TARGET_P95_MS,
          detail: `${p95} ms`,
        },
        {
          kind: 'target',
          name: `two tabs show a write within ${TARGET_TABS_GAP_MS} ms of each other (p95)`,
          ok: gapP95 < TARGET_TABS_GAP_MS,
          detail: `${gapP95} ms`,
        },
        {
          kind: 'target',
          name: `studio JS under ${TARGET_JS_KB} KB gzipped`,
          ok: jsKb < TARGET_JS_KB,
          detail: `${round(jsKb, 1)} KB`,
        },
      ],
    };
  },
};
