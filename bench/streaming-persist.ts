// Benchmark 3, streaming persist: a large provider output streamed into Storage by `persistOutput`
// (functions/src/jobs/persist.ts), in a child process of its own so that its peak RSS growth is its own, and
// compared with a plain HTTP download of the same URL to /dev/null in the same run (one before and one after,
// averaged). The output is a stand-in video padded to the size asked (`bigOutputBytes`, made while it
// streams). The default size, 128 MiB, is the largest this harness can store: persistOutput uploads in one
// request (non-resumable) and firebase-tools' Storage emulator reads such a request whole with a 130 MB body
// limit. Production takes videos up to MAX_VIDEO_BYTES (200 MiB); a larger output (1 GiB by default) must
// be refused by that cap before a byte is downloaded, which is checked too.
import { join } from 'node:path';
import { resolveMediaModels } from '../functions/src/providers/models.js';
import { MAX_VIDEO_BYTES } from '../functions/src/providers/output-fetch.js';
import { ROOT, STANDIN_SECRETS } from '../scripts/harness/env.js';
import { adminBucket } from '../test/e2e/support/index.js';
import { functionsEnv } from '../test/e2e/pipeline/in-process.js';
import type { Benchmark } from './lib/bench.js';
import { runNodeJson } from './lib/children.js';
import { standin, withStandinConfig } from './lib/harness.js';
import type { Check } from './lib/report.js';
import { MiB, round, sleep } from './lib/stats.js';
import type { TransferResult } from './children/transfer.js';

const CHILD = join(ROOT, 'bench', 'children', 'transfer.ts');
const TARGET_RSS_MIB = 64;
const TARGET_RATIO = 0.5;
/** firebase-tools' Storage emulator parses upload bodies with a 130 MB limit (body-parser's "130mb"). */
const EMULATOR_MAX_UPLOAD = 128 * MiB;

/**
 * Runs one prediction on the stand-in's Replicate API with the functions' own default model for `kind`, its
 * input built by the functions' own mapping (so the stand-in's schema check sees what the pipeline sends and
 * the benchmark cannot drift from the models it ships with), and returns its output URL.
 */
async function standinOutput(kind: 'scene_image' | 'video'): Promise<string> {
  const api = `${standin.url()}/replicate/v1`;
  const headers = {
    authorization: `Bearer ${STANDIN_SECRETS.REPLICATE_API_TOKEN}`,
    'content-type': 'application/json',
  };
  const model = resolveMediaModels()[kind];
  const input = model.mapInput({ prompt: 'benchmark output', aspectRatio: '16:9', durationSeconds: 2 });
  const created = await fetch(
    model.model ? `${api}/models/${model.model}/predictions` : `${api}/predictions`,
    {
      method: 'POST',
      headers,
      body: JSON.stringify(model.model ? { input } : { version: model.version, input }),
    },
  );
  if (!created.ok)
    throw new Error(`stand-in refused the prediction: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  for (let i = 0; i < 300; i++) {
    const state = (await (await fetch(`${api}/predictions/${id}`, { headers })).json()) as {
      status: string;
      output: unknown;
      error: unknown;
    };
    if (state.status === 'succeeded')
      return typeof state.output === 'string' ? state.output : String((state.output as string[])[0]);
    if (state.status === 'failed' || state.status === 'canceled')
      throw new Error(`prediction ${state.status}: ${String(state.error)}`);
    await sleep(100);
  }
  throw new Error('the stand-in prediction did not finish');
}

const transfer = (args: string[]) =>
  runNodeJson<TransferResult>([CHILD, ...args], {
    nodeArgs: ['--expose-gc', '--import', 'tsx'],
    env: functionsEnv(),
    timeoutMs: 300_000,
  });

const mibPerS = (r: TransferResult) => r.bytes / MiB / (r.ms / 1000);
const growthMiB = (r: TransferResult) => (r.peakRss - r.baselineRss) / MiB;

export const streamingPersist: Benchmark = {
  name: 'streaming-persist',
  summary: 'a large stand-in output streamed into Storage: peak RSS growth, throughput vs plain download',
  needs: 'harness',
  smoke: { bytes: String(8 * MiB), 'over-bytes': String(256 * MiB) },
  options: {
    bytes: {
      description: 'output size in bytes (the Storage emulator takes at most 130 MB per upload)',
      default: String(EMULATOR_MAX_UPLOAD),
    },
    'over-bytes': {
      description: 'size that must be refused by the cap (0: skip)',
      default: String(1024 * MiB),
    },
  },
  async run(options) {
    const bytes = options.number('bytes');
    const overBytes = options.number('over-bytes');
    const path = `bench/streaming-persist/${Date.now()}.mp4`;
    const bucket = adminBucket();
    return withStandinConfig({ bigOutputBytes: bytes, predictionSeconds: 0.5 }, async () => {
      const warmUrl = await standinOutput('scene_image');
      const url = await standinOutput('video');
      const first = await transfer(['download', url, '', warmUrl]);
      const persisted = await transfer(['persist', url, path, warmUrl]);
      const second = await transfer(['download', url, '', warmUrl]);
      // What the Storage side alone takes: the same upload of bytes already in memory.
      const uploaded = await transfer(['upload', String(bytes), `${path}.upload`]);
      let storedBytes = 0;
      try {
        const [metadata] = await bucket.file(path).getMetadata();
        storedBytes = Number(metadata.size ?? 0);
      } catch {
        storedBytes = 0;
      }
      await Promise.all(
        [path, `${path}.warmup`, `${path}.upload`, `${path}.upload.warmup`].map((p) =>
          bucket
            .file(p)
            .delete({ ignoreNotFound: true })
            .catch(() => undefined),
        ),
      );

      let refused: TransferResult | undefined;
      let overStored = false;
      if (overBytes > 0) {
        await standin.configure({ bigOutputBytes: overBytes });
        const overUrl = await standinOutput('video');
        refused = await transfer(['persist', overUrl, `${path}.over`, warmUrl]);
        [overStored] = await bucket.file(`${path}.over`).exists();
        await Promise.all(
          [`${path}.over`, `${path}.over.warmup`].map((p) =>
            bucket
              .file(p)
              .delete({ ignoreNotFound: true })
              .catch(() => undefined),
          ),
        );
      }

      const downloadRate = (mibPerS(first) + mibPerS(second)) / 2;
      const ratio = mibPerS(persisted) / downloadRate;
      const growth = growthMiB(persisted);
      const checks: Check[] = [
        {
          kind: 'correctness',
          name: 'the whole output was stored',
          ok: persisted.ok && persisted.bytes === bytes && storedBytes === bytes,
          detail: persisted.ok
            ? `${persisted.bytes} bytes streamed, ${storedBytes} stored`
            : `failed: ${persisted.error}`,
        },
        {
          kind: 'target',
          name: `peak RSS growth under ${TARGET_RSS_MIB} MiB`,
          ok: growth < TARGET_RSS_MIB,
          detail: `${round(growth, 1)} MiB`,
        },
        {
          kind: 'target',
          name: `throughput at least ${TARGET_RATIO} of a plain download`,
          ok: ratio >= TARGET_RATIO,
          detail:
            `${round(ratio, 2)} (${round(mibPerS(persisted))} vs ${round(downloadRate)} MiB/s; the Storage emulator alone ` +
            `takes ${round(mibPerS(uploaded))} MiB/s, so persistOutput runs at ${round(mibPerS(persisted) / mibPerS(uploaded), 2)} of its sink)`,
        },
      ];
      if (refused) {
        checks.push({
          kind: 'correctness',
          name: `a ${round(overBytes / MiB)} MiB output is refused by the cap, nothing stored`,
          ok: !refused.ok && refused.errorCode === 'too_large' && !overStored,
          detail: refused.ok
            ? 'it was persisted'
            : `${refused.errorCode ?? '?'} after ${round(refused.ms)} ms: ${refused.error}`,
        });
      }
      const row = (label: string, r: TransferResult) => [
        label,
        r.ok ? round(r.bytes / MiB) : 'refused',
        round(r.ms / 1000, 2),
        r.ok ? round(mibPerS(r)) : '-',
        round(r.baselineRss / MiB),
        round(r.peakRss / MiB),
        round(growthMiB(r), 1),
      ];
      return {
        tables: [
          {
            title: `one ${round(bytes / MiB)} MiB output from the stand-in, each transfer in its own child process`,
            columns: ['transfer', 'MiB', 's', 'MiB/s', 'RSS before MiB', 'RSS peak MiB', 'growth MiB'],
            rows: [
              row('plain download to /dev/null (before)', first),
              row('persistOutput into Storage', persisted),
              row('plain download to /dev/null (after)', second),
              row('upload of in-memory bytes into Storage (sink alone)', uploaded),
              ...(refused
                ? [row(`persistOutput of ${round(overBytes / MiB)} MiB (over the cap)`, refused)]
                : []),
            ],
          },
        ],
        figures: {
          bytes,
          rss_growth_mib: round(growth, 1),
          persist_mib_s: round(mibPerS(persisted)),
          download_mib_s: round(downloadRate),
          throughput_ratio: round(ratio, 2),
          upload_only_mib_s: round(mibPerS(uploaded)),
          ratio_to_upload_only: round(mibPerS(persisted) / mibPerS(uploaded), 2),
          ...(refused ? { over_cap_refused: refused.ok ? 0 : 1 } : {}),
        },
        checks,
        notes: [
          `MAX_VIDEO_BYTES (functions/src/providers/output-fetch.ts) is ${MAX_VIDEO_BYTES / MiB} MiB and persistOutput takes no ` +
            'size option, so a 1 GiB output cannot be persisted: it is refused from its Content-Length before any byte is read.',
          `the Storage emulator buffers each single-request upload whole (130 MB limit); ${round(bytes / MiB)} MiB is what fits.`,
        ],
      };
    });
  },
};
