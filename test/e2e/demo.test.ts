// The demo's journey, headless, over the whole harness: a real client makes one startProduction call and only
// watches, and the rendered MP4 is checked with ffprobe against the storyboard (duration, streams, aspect
// ratio). Beside it, the demo's entry point is run on a brief the stand-in refuses, to check that a failed
// production exits non-zero naming its blocked steps. The two share nothing (each its own user), so they run
// concurrently.
import { execFile } from 'node:child_process';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameSize } from '../../functions/src/render/frame.js';
import { SAMPLE_BRIEF } from '../../scripts/demo/args.js';
import { runDemo } from '../../scripts/demo/journey.js';
import { probeMedia } from '../../scripts/demo/probe.js';
import { NO_FIRESTORE_ENV, NO_FIRESTORE_REASON_ENV } from '../../scripts/harness/env.js';
import { eventually, ledgerOf, readUsageDoc } from './limits/support.js';
import { readProjectOrFail } from './support/index.js';

const noFirestore = process.env[NO_FIRESTORE_ENV];
if (noFirestore) {
  console.warn(
    `SKIPPED test/e2e/demo.test.ts: no Firestore emulator (${process.env[NO_FIRESTORE_REASON_ENV] ?? ''})`,
  );
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function head(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    await handle.read(buffer, 0, bytes, 0);
    return buffer;
  } finally {
    await handle.close();
  }
}

describe.skipIf(Boolean(noFirestore))('npm run demo', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reelforge-demo-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.concurrent(
    'one production makes the ad from the brief, rendered into one MP4 of each asked aspect ratio',
    // At 1080p with each format's pack and quality gate the demo takes about 100 s on a quiet machine (its
    // render about half of it), and it shares the machine with the other shared files.
    { timeout: 330_000 },
    async () => {
      // The sample brief with a 12 s ad (9 s of scenes and the end card) instead of 30 s: every clip, the
      // voice lines and both renders get shorter, and nothing the test checks depends on the length.
      const sample = JSON.parse(await readFile(SAMPLE_BRIEF, 'utf8')) as { settings?: object };
      const briefFile = join(dir, 'short-brief.json');
      await writeFile(
        briefFile,
        JSON.stringify({ ...sample, settings: { ...sample.settings, target_duration_seconds: 12 } }),
      );
      const lines: string[] = [];
      const result = await runDemo({
        briefFile,
        scenes: 3,
        aspect: '16:9',
        // A second language: translated and voiced, and rendered in both formats from the same clips.
        languages: ['en', 'es'],
        outDir: join(dir, 'out'),
        out: { write: (text: string) => lines.push(text), isTTY: false },
        timeoutMs: 320_000,
      });

      const scenes = result.project.scenes;
      expect(scenes).toHaveLength(3);
      expect(result.languageFiles.map((f) => f.language)).toEqual(['es']);
      const spanish = await readFile(result.languageFiles[0]!.srt, 'utf8');
      const spoken = result.project.localizations!.es!.scenes.map((s) => s.voiceover_text).filter(Boolean);
      expect(spanish).toContain(spoken[0]!.split(' ')[0]!);
      expect(Object.keys(result.project.assets.renders ?? {}).sort()).toEqual(
        ['16:9', '16:9@es', '9:16', '9:16@es'].sort(),
      );
      for (const scene of scenes) {
        expect(scene.assets).toMatchObject({
          composition_path: expect.any(String),
          thumbnail_path: expect.any(String),
          video_path: expect.any(String),
          voiceover_path: expect.any(String),
        });
        // The production makes one bed for the ad and never a scene's own music beside it.
        expect(scene.assets.audio_path).toBeUndefined();
      }
      expect(result.production).toMatchObject({
        status: 'completed',
        from_brief: true,
        scene_count: 3,
        formats: ['16:9', '9:16'],
        blocked: [],
      });
      expect(result.production.steps_done).toBe(result.production.steps_total);
      expect(result.project.assets.final_video_path).toBe(result.videoStoragePath);
      expect(result.videoStoragePath).toMatch(
        new RegExp(`^projects/${result.project.id}/renders/[^/]+-16x9\\.mp4$`),
      );

      expect(result.project.assets.music_path).toEqual(expect.any(String));
      expect(result.project.assets.renders?.['16:9']?.video_path).toBe(result.videoStoragePath);
      // Each format's delivery pack, downloaded beside its video, and its quality gate passed.
      for (const pack of result.packs) {
        expect(
          pack.checks.filter((c) => !c.pass),
          pack.format,
        ).toEqual([]);
        expect((await readFile(pack.srt, 'utf8')).split('\n')[0], pack.format).toBe('1');
        expect((await readFile(pack.vtt, 'utf8')).startsWith('WEBVTT\n'), pack.format).toBe(true);
        expect((await probeMedia(pack.poster)).streams[0], pack.format).toMatchObject({
          codec_name: 'mjpeg',
          ...frameSize(pack.format, '1080p'),
        });
      }
      const other = await probeMedia(result.otherVideoFile);
      expect(other.streams.find((s) => s.codec_type === 'video')).toMatchObject(frameSize('9:16', '1080p'));

      const probe = await probeMedia(result.videoFile);
      // The scenes and the end card.
      const expected = scenes.reduce((sum, s) => sum + s.duration_seconds, 0) + 3;
      expect(Math.abs(probe.durationSeconds - expected)).toBeLessThanOrEqual(0.1);
      const video = probe.streams.filter((s) => s.codec_type === 'video');
      const audio = probe.streams.filter((s) => s.codec_type === 'audio');
      expect(video).toHaveLength(1);
      expect(audio).toHaveLength(1);
      expect(video[0]).toMatchObject({ codec_name: 'h264', ...frameSize('16:9', '1080p') });
      expect(audio[0]).toMatchObject({ codec_name: 'aac' });

      expect((await head(result.contactSheet, 8)).equals(PNG_SIGNATURE)).toBe(true);
      const sheet = await probeMedia(result.contactSheet);
      expect(sheet.streams[0]).toMatchObject({ codec_name: 'png' });

      // Headless progress: one line per status change of every job, the render's included, and the
      // production's own status with its steps.
      const log = lines.join('');
      expect(log).toMatch(/moods: completed/);
      expect(log).toMatch(/scene 3 video: completed/);
      expect(log).toMatch(/render: processing/);
      expect(log).toMatch(/scene 3 voiceover: completed/);
      expect(log).toMatch(/music: completed/);
      expect(log).toMatch(/production: running/);
      expect(log).toMatch(/production: completed \((\d+)\/\1 steps\)/);
      expect(log).toMatch(
        /production completed: (\d+)\/\1 steps in .+, spent \$[\d.]+ of an estimated \$[\d.]+/,
      );
      expect(result.steps.map((s) => s.name)).toContain(
        'the production: from the brief to the ad in 16:9 and 9:16, 3 scenes',
      );
      // Moods, storyboard, four steps a scene (each has a line to speak), the bed, the Spanish translation
      // and the render.
      const voiced = scenes.filter((s) => s.voiceover_text?.trim()).length;
      expect(voiced).toBe(3);
      expect(result.jobs).toBe(1 + 1 + 3 * 3 + voiced + 1 + 1 + 1);
      expect(result.production.steps_total).toBe(result.jobs);

      // The cost ledger of the finished project: one entry per job, all the production's, and their sum is
      // the project's total and the production's spend.
      const ledger = await eventually(
        () => ledgerOf(result.project.id),
        (entries) => entries.length === result.jobs,
      );
      expect(ledger.every((e) => e.production_id === result.production.production_id)).toBe(true);
      expect(result.production.spent_usd).toBeCloseTo(
        ledger.reduce((total, e) => total + e.actual_usd, 0),
        4,
      );
      const final = await readProjectOrFail(result.project.id);
      const sum = ledger.reduce((total, e) => total + e.actual_usd, 0);
      expect(final.stats.cost_usd).toBeGreaterThan(0);
      expect(final.stats.cost_usd).toBeCloseTo(sum, 6);
      expect(final.spend?.jobs).toBe(result.jobs);
      expect(ledger.every((e) => e.status === 'completed' && e.estimated_usd >= 0)).toBe(true);
      // Media jobs were billed from the provider's figures: a video clip costs more than its keyframe.
      const costOf = (type: string) => ledger.filter((e) => e.type === type).map((e) => e.actual_usd);
      expect(Math.min(...costOf('video'))).toBeGreaterThan(Math.max(...costOf('image')));
      const usage = await readUsageDoc(final.user_id);
      expect(usage?.active_jobs).toBe(0);
      expect(usage?.spent_today_usd).toBeCloseTo(sum, 6);
    },
  );

  it.concurrent(
    'exits 1 naming the blocked steps when the production fails',
    { timeout: 120_000 },
    async () => {
      // The stand-in's language model refuses any prompt carrying this marker, so the moods job fails for
      // good and the production, with nothing else it can start, fails blocked on it.
      const brief = join(dir, 'refused-brief.json');
      await writeFile(
        brief,
        JSON.stringify({
          brand_name: 'Refusal Co',
          product_description: 'A product the model will not write about.',
          target_audience: 'Testers',
          key_message: 'Failures are reported.',
          tone: 'Plain',
          notes: '[[standin:refused]]',
        }),
      );
      const run = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'scripts/demo.ts', '--brief', brief, '--out', join(dir, 'refused')],
        { env: process.env },
      ).then(
        () => ({ code: 0, stderr: '' }),
        (err: { code?: number; stderr?: string }) => ({ code: err.code, stderr: err.stderr ?? '' }),
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/The production failed; blocked steps: moods\n/);
      expect(run.stderr).toMatch(
        /production failed: 0\/\d+ steps in .+\n {4}blocked: moods: The moods: \S.+/,
      );
    },
  );
});
