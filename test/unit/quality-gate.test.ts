// The quality gate (functions/src/render/quality-gate.ts): its rules as a pure function of measurements, each
// broken on purpose, and then measured on small real files: a short 720p ad with its pack (every check
// passes; SRT and VTT hold the burned-in phrases at the same times), the same ad with a black clip from the
// stand-in, and a file whose bed was mixed under the voice without ducking or mastering.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RenderCheck } from '@reelforge/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adCaptions, adTimeline, type AdSpec } from '../../functions/src/render/ad-graph.js';
import { ffprobePath } from '../../functions/src/render/binary.js';
import { assTime, srtDocument, vttDocument, type Phrase } from '../../functions/src/render/captions.js';
import {
  READING_SPEED,
  measureFile,
  qualityChecks,
  type FileMeasurements,
  type GatePlan,
} from '../../functions/src/render/quality-gate.js';
import { renderAd, type RenderAdResult } from '../../functions/src/render/render-ad.js';
import { timeline } from '../../functions/src/render/timeline.js';
import { FFMPEG_PATH, makeImage, makeVideo, sizeFor } from '../../scripts/standin/ffmpeg.js';
import { adSpec, ff, spokenLine } from '../support/ad-fixture.js';
import { probeMedia } from '../../scripts/demo/probe.js';

const failing = (checks: readonly RenderCheck[]) => checks.filter((c) => !c.pass);
const check = (checks: readonly RenderCheck[], name: string) => checks.find((c) => c.name === name)!;

describe('the rules, on measurements', () => {
  // Two 3 s scenes and a 2 s end card, crossfaded by 0.5 s.
  const segments = timeline([3, 3, 2], 0.5);
  const phrase = (text: string, start: number, end: number): Phrase => ({ text, start, end, words: [] });
  const plan: GatePlan = {
    format: '9:16',
    resolution: '1080p',
    segments,
    sceneNames: ['scene 1 "Pour"', 'scene 2 "Sip"'],
    endCard: { seconds: 2 },
    captions: [phrase('Fresh coffee.', 0.3, 1.3), phrase('Brewed in seconds', 3.3, 4.6)],
  };
  const good: FileMeasurements = {
    durationSeconds: 8.02,
    video: {
      codec: 'h264',
      profile: 'High',
      pixFmt: 'yuv420p',
      width: 1080,
      height: 1920,
      rFrameRate: '30/1',
      avgFrameRate: '30/1',
    },
    audio: { codec: 'aac', profile: 'LC', sampleRate: 48_000, channels: 2 },
    loudness: { integrated: -14.2, truePeak: -1.4 },
    black: [],
    // The end card, still from the end of its fade-in to the end of the file.
    frozen: [{ start: 6.25, end: 8.02 }],
  };
  const inside = { left: 200, top: 1200, right: 800, bottom: 1300 };
  const drawn = plan.captions.map((p) => ({ kind: 'caption' as const, ...p, box: inside }));

  it('passes a file that keeps every rule, and names each check with its measurement and limit', () => {
    const checks = qualityChecks(plan, good, drawn);
    expect(failing(checks)).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual([
      'integrated loudness',
      'true peak',
      'duration',
      'resolution',
      'video codec',
      'frame rate',
      'audio codec',
      'text in the safe zone',
      'caption reading speed',
      'black stretches',
      'frozen stretches',
      'end card on screen',
    ]);
    expect(check(checks, 'caption reading speed')).toMatchObject({ limit: READING_SPEED.cps, unit: 'cps' });
    expect(check(checks, 'end card on screen')).toMatchObject({ measured: 1.77, limit: 1.65, pass: true });
  });

  it('fails a caption line too long for its time, naming the scene and the guideline', () => {
    const fast = {
      ...plan,
      captions: [plan.captions[0]!, phrase('Brewed in seconds, every single morning', 3.3, 4.6)],
    };
    const speed = check(qualityChecks(fast, good, drawn), 'caption reading speed');
    expect(speed.pass).toBe(false);
    expect(speed.measured).toBe(30);
    expect(speed.problem).toMatch(
      /^scene 2 "Sip": "Brewed in seconds, every single morning" is 39 characters in 1\.3 s/,
    );
    expect(speed.problem).toContain("over the 17 of Netflix's English Timed Text Style Guide");
  });

  it('fails black or frozen stretches over 0.5 s in a scene (not the still end card), naming the scene', () => {
    const checks = qualityChecks(
      plan,
      { ...good, black: [{ start: 3.4, end: 4.2 }], frozen: [{ start: 0.5, end: 1.2 }, ...good.frozen] },
      drawn,
    );
    expect(check(checks, 'black stretches')).toMatchObject({ pass: false, measured: 0.8 });
    expect(check(checks, 'black stretches').problem).toMatch(/^scene 2 "Sip": 0\.8 s of black from 3\.4 s/);
    expect(check(checks, 'frozen stretches').problem).toMatch(/^scene 1 "Pour": 0\.7 s of frozen picture/);
    // The card's own stillness is its check, not a frozen scene.
    expect(check(qualityChecks(plan, good, drawn), 'frozen stretches').pass).toBe(true);
  });

  it('fails text outside the safe zone, the wrong size, codec, rate, length, loudness and a short card', () => {
    const checks = qualityChecks(
      plan,
      {
        ...good,
        durationSeconds: 8.4,
        video: { ...good.video!, width: 720, height: 1280, profile: 'Main', avgFrameRate: '24/1' },
        loudness: { integrated: -9.5, truePeak: 0.3 },
        frozen: [{ start: 7.5, end: 8.4 }],
      },
      // Under the platforms' buttons: the bottom 30% of a 9:16 frame is theirs.
      [{ ...drawn[0]!, box: { ...inside, bottom: 1500 } }, drawn[1]!],
    );
    expect(failing(checks).map((c) => c.name)).toEqual([
      'integrated loudness',
      'true peak',
      'duration',
      'resolution',
      'video codec',
      'frame rate',
      'text in the safe zone',
      'end card on screen',
    ]);
    expect(check(checks, 'text in the safe zone')).toMatchObject({ measured: 156, limit: 0, unit: 'px' });
    expect(check(checks, 'text in the safe zone').problem).toMatch(
      /^scene 1 "Pour": the caption "Fresh coffee\." reaches 156 px outside the 9:16 safe zone \(TikTok/,
    );
  });
});

describe('measured on real files', () => {
  let dir: string;
  let spec: AdSpec;
  let made: RenderAdResult;
  const out = (name: string) => join(dir, name);

  /** A stand-in clip: it pans over a striped keyframe (the fault makes it black). */
  async function clip(name: string, seconds: number, black = false) {
    const still = out(`${name}.png`);
    const size = sizeFor('9:16', 720);
    await makeImage({ palette: ['#e63946', '#f1faee', '#457b9d'], size, seed: 7, out: still });
    await makeVideo({ imagePath: still, size, durationSeconds: seconds, out: out(`${name}.mp4`), black });
    return out(`${name}.mp4`);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quality-gate-test-'));
    const [a, b, voice] = await Promise.all([
      clip('a', 2.5),
      clip('b', 2.5, true),
      spokenLine(out('voice.wav'), 'Fresh coffee, every morning.'),
    ]);
    spec = adSpec({
      scenes: [
        { video: a, durationSeconds: 2.5, voice },
        { video: b, durationSeconds: 2.5 },
      ],
      endCard: { seconds: 2, brand: 'Morning Brew', palette: ['#1d3557', '#e63946'] },
    });
    made = await renderAd({
      spec,
      formats: ['9:16'],
      workDir: dir,
      outputFor: () => out('ad.mp4'),
      packFor: () => ({ srt: out('ad.srt'), vtt: out('ad.vtt'), poster: out('ad.jpg') }),
      sceneNames: ['scene 1 "Pour"', 'scene 2 "Dark"'],
    });
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('catches the black clip from the stand-in, and nothing else: every other check passes', () => {
    const checks = made.checks['9:16']!;
    // A clip that is black throughout is also a frozen picture: both name the scene.
    expect(failing(checks).map((c) => c.name)).toEqual(['black stretches', 'frozen stretches']);
    expect(check(checks, 'frozen stretches').problem).toMatch(/^scene 2 "Dark": /);
    expect(check(checks, 'black stretches').problem).toMatch(/^scene 2 "Dark": [\d.]+ s of black/);
    expect(check(checks, 'end card on screen').pass).toBe(true);
    expect(check(checks, 'text in the safe zone')).toMatchObject({ measured: 0, pass: true });
  });

  it('writes SRT and WebVTT with the burned-in phrases at the burned-in times, and a poster', async () => {
    const captions = adCaptions(spec);
    expect(captions.length).toBeGreaterThan(0);
    const srt = await readFile(out('ad.srt'), 'utf8');
    const vtt = await readFile(out('ad.vtt'), 'utf8');
    expect(srt).toBe(srtDocument(captions));
    expect(vtt).toBe(vttDocument(captions));
    expect(vtt.startsWith('WEBVTT\n')).toBe(true);
    // The same centisecond as the ASS event the picture burns in (H:MM:SS.cc there, HH:MM:SS,mmm here).
    const first = captions[0]!;
    const [, m, s, cs] = /^0:(\d\d):(\d\d)\.(\d\d)$/.exec(assTime(first.start))!;
    expect(srt.split('\n')[1]).toMatch(new RegExp(`^00:${m}:${s},${cs}0 --> `));
    expect(srt.split('\n')[2]).toBe(first.text);
    const poster = await probeMedia(out('ad.jpg'));
    expect(poster.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 720, height: 1280 });
  });

  it('catches a bed mixed under the voice without ducking or mastering: loudness and true peak', async () => {
    // The voice and a full-scale bed summed as they are, no sidechain, no loudness pass.
    const loud = out('undocked.mp4');
    await ff([
      ...[
        '-v',
        'error',
        '-i',
        out('voice.wav'),
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=220:sample_rate=48000:d=4',
      ],
      ...['-f', 'lavfi', '-i', 'color=c=gray:s=720x1280:r=30:d=4'],
      ...[
        '-filter_complex',
        '[0:a][1:a]amix=inputs=2:duration=longest,volume=8[a]',
        '-map',
        '2:v',
        '-map',
        '[a]',
      ],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-t', '4', loud],
    ]);
    const measured = await measureFile(FFMPEG_PATH, await ffprobePath(), loud, 4);
    const checks = qualityChecks(
      {
        format: '9:16',
        resolution: '720p',
        segments: timeline([4], 0),
        sceneNames: ['scene 1 "Loud"'],
        captions: [],
      },
      measured,
      [],
    );
    expect(check(checks, 'integrated loudness').pass).toBe(false);
    expect(check(checks, 'true peak').pass).toBe(false);
    expect(Number(check(checks, 'integrated loudness').measured)).toBeGreaterThan(-13);
    // The rendered ad, bed ducked and mastered, keeps both (measured on its file above).
    expect(check(made.checks['9:16']!, 'integrated loudness').pass).toBe(true);
    expect(check(made.checks['9:16']!, 'true peak').pass).toBe(true);
    expect(adTimeline(spec)).toHaveLength(3);
  });
});
