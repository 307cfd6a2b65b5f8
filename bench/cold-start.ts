// Benchmark 4, cold start: the time and memory it takes a fresh Node process to load the functions entry
// point (functions/lib/index.js, what Cloud Functions loads), as a ratio to loading the firebase-functions
// and firebase-admin modules that the entry point itself requires at load, alone. Heavy SDKs (openai,
// replicate, @google-cloud/tasks, ffmpeg) must load when first used, not at import: checked too. Each
// figure is the median of several fresh child processes, the two kinds interleaved.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { BUNDLE_PATH } from './lib/bundle.js';
import type { Benchmark } from './lib/bench.js';
import type { Check } from './lib/report.js';
import { MiB, median, round } from './lib/stats.js';

const TARGET_RATIO = 1.5;
const LAZY_SDKS = [
  'openai',
  'replicate',
  '@google-cloud/tasks',
  '@ffmpeg-installer/ffmpeg',
  '@ffprobe-installer/ffprobe',
];

interface Probe {
  ms: number;
  rss: number;
  heap: number;
  loaded: string[];
}

/** The firebase-functions and firebase-admin modules the bundle requires (its registry deps stay external). */
export function firebaseModulesOf(bundleText: string): string[] {
  const ids = [
    ...bundleText.matchAll(/require\("((?:firebase-functions|firebase-admin)(?:\/[^"]*)?)"\)/g),
  ].map((m) => m[1]!);
  return [...new Set(ids)].sort();
}

/** Source of the child: require `ids`, report time, memory growth, and which lazy SDKs got loaded. */
function probeSource(ids: readonly string[]): string {
  return `
const { createRequire } = require('node:module');
const load = createRequire(${JSON.stringify(BUNDLE_PATH)});
const lazy = ${JSON.stringify(LAZY_SDKS)};
const m0 = process.memoryUsage();
const t0 = process.hrtime.bigint();
for (const id of ${JSON.stringify(ids)}) load(id);
const t1 = process.hrtime.bigint();
const m1 = process.memoryUsage();
const loaded = lazy.filter((sdk) => Object.keys(require.cache).some((file) => file.includes('/node_modules/' + sdk + '/')));
process.stdout.write(JSON.stringify({ ms: Number(t1 - t0) / 1e6, rss: m1.rss - m0.rss, heap: m1.heapUsed - m0.heapUsed, loaded }) + '\\n');
`;
}

function probe(ids: readonly string[]): Probe {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const out = spawnSync(process.execPath, ['-e', probeSource(ids)], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (out.status !== 0) throw new Error(`import probe failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop() ?? '') as Probe;
}

export const coldStart: Benchmark = {
  name: 'cold-start',
  summary: 'time and memory to load functions/lib/index.js vs firebase-functions + firebase-admin alone',
  needs: 'none',
  smoke: { runs: '1' },
  options: {
    runs: { description: 'fresh processes per kind (median reported)', default: '15' },
  },
  async run(options) {
    const runs = Math.max(1, Math.round(options.number('runs')));
    const sdkIds = firebaseModulesOf(readFileSync(BUNDLE_PATH, 'utf8'));
    const bundle: Probe[] = [];
    const sdk: Probe[] = [];
    // One unmeasured round warms the file-system cache for both.
    probe([BUNDLE_PATH]);
    probe(sdkIds);
    for (let i = 0; i < runs; i++) {
      sdk.push(probe(sdkIds));
      bundle.push(probe([BUNDLE_PATH]));
    }
    const figure = (list: Probe[], key: 'ms' | 'rss' | 'heap') => median(list.map((p) => p[key]));
    const timeRatio = figure(bundle, 'ms') / figure(sdk, 'ms');
    const rssRatio = figure(bundle, 'rss') / figure(sdk, 'rss');
    const heapRatio = figure(bundle, 'heap') / figure(sdk, 'heap');
    const eager = [...new Set(bundle.flatMap((p) => p.loaded))];
    const checks: Check[] = [
      {
        kind: 'target',
        name: `load time at most ${TARGET_RATIO}x the Firebase SDKs alone`,
        ok: timeRatio <= TARGET_RATIO,
        detail: `${round(timeRatio, 2)}x (${round(figure(bundle, 'ms'))} vs ${round(figure(sdk, 'ms'))} ms)`,
      },
      {
        kind: 'target',
        name: `memory at most ${TARGET_RATIO}x the Firebase SDKs alone`,
        ok: rssRatio <= TARGET_RATIO && heapRatio <= TARGET_RATIO,
        detail: `RSS ${round(rssRatio, 2)}x, heap ${round(heapRatio, 2)}x`,
      },
      {
        kind: 'correctness',
        name: 'heavy SDKs are not loaded at import',
        ok: eager.length === 0,
        detail:
          eager.length === 0 ? `none of ${LAZY_SDKS.join(', ')}` : `loaded at import: ${eager.join(', ')}`,
      },
    ];
    const row = (label: string, list: Probe[]) => [
      label,
      round(figure(list, 'ms')),
      round(Math.min(...list.map((p) => p.ms))),
      round(Math.max(...list.map((p) => p.ms))),
      round(figure(list, 'rss') / MiB, 1),
      round(figure(list, 'heap') / MiB, 1),
    ];
    return {
      tables: [
        {
          title: `import in a fresh process, median of ${runs}`,
          columns: ['import', 'ms', 'min ms', 'max ms', 'RSS +MiB', 'heap +MiB'],
          rows: [
            row(`firebase-functions + firebase-admin (${sdkIds.length} modules)`, sdk),
            row('functions/lib/index.js', bundle),
            ['ratio', round(timeRatio, 2), '', '', round(rssRatio, 2), round(heapRatio, 2)],
          ],
        },
      ],
      figures: {
        runs,
        bundle_ms: round(figure(bundle, 'ms')),
        sdk_ms: round(figure(sdk, 'ms')),
        time_ratio: round(timeRatio, 2),
        rss_ratio: round(rssRatio, 2),
        heap_ratio: round(heapRatio, 2),
        eager_sdks: eager.length,
      },
      checks,
      notes: [`baseline modules (those the bundle requires): ${sdkIds.join(', ')}`],
    };
  },
};
