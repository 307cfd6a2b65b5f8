// The finished ad's pure parts: timeline, phrases and subtitle timing, reframing, colour choices, the
// ffmpeg graphs' shape, loudness parsing and the logo check. Fast; the real renders are in ad-render.test.ts.
import { describe, expect, it } from 'vitest';
import {
  adLength,
  adSubtitles,
  adTimeline,
  adWords,
  filterValue,
  mixArgs,
  reframeMode,
  videoArgs,
  voiceRoom,
  VOICE_LEAD_SECONDS,
  type AdSpec,
} from '../../functions/src/render/ad-graph.js';
import { assText, assTime, phrases } from '../../functions/src/render/captions.js';
import { lightened, luminance, mostContrasting, textOn } from '../../functions/src/render/colors.js';
import { gainFor, parseMeasure } from '../../functions/src/render/loudness.js';
import { timeline } from '../../functions/src/render/timeline.js';
import { imageInfo } from '../../functions/src/storage/image-kind.js';
import { adSpec } from '../support/ad-fixture.js';

const words = (...list: [string, number, number][]) =>
  list.map(([word, start, end]) => ({ word, start, end }));

function spec(overrides: Partial<AdSpec> = {}): AdSpec {
  return adSpec({
    scenes: [
      {
        video: 'a.mp4',
        durationSeconds: 3,
        voice: { path: 'a.wav', words: words(['Fresh', 0, 0.4], ['coffee.', 0.5, 0.9]), durationSeconds: 1 },
      },
      { video: 'b.mp4', audio: 'b.mp3', durationSeconds: 4 },
    ],
    music: 'bed.mp3',
    accent: '#1d3557',
    ...overrides,
  });
}

describe('timeline', () => {
  it('centres each crossfade on its cut, so the length stays the sum of the scenes', () => {
    const t = timeline([3, 4, 3], 0.5);
    expect(t.map((s) => s.start)).toEqual([0, 3, 7]);
    expect(t.map((s) => s.enter)).toEqual([0, 2.75, 6.75]);
    expect(t.map((s) => s.length)).toEqual([3.25, 4.5, 3.25]);
    expect(t.map((s) => s.fadeIn)).toEqual([0, 0.5, 0.5]);
    expect(adLength(spec())).toBe(10);
  });
  it('never fades longer than a neighbouring scene; cuts have no fade', () => {
    expect(timeline([1, 4], 1.5)[1]!.fadeIn).toBe(1);
    expect(timeline([3, 4], 0).map((s) => s.length)).toEqual([3, 4]);
    expect(adTimeline(spec({ endCard: undefined })).length).toBe(2);
  });
});

describe('captions', () => {
  it('groups words into short phrases, broken after punctuation and at pauses', () => {
    const p = phrases(
      words(
        ['Fresh', 0, 0.3],
        ['coffee,', 0.35, 0.7],
        ['brewed', 0.9, 1.2],
        ['in', 1.25, 1.4],
        ['seconds', 1.45, 1.9],
        ['every', 2.6, 2.9],
        ['morning', 2.95, 3.3],
      ),
    );
    expect(p.map((x) => x.text)).toEqual(['Fresh coffee,', 'brewed in seconds', 'every morning']);
    // On from its first word; held a little after its last, never into the next phrase.
    expect(p[0]).toMatchObject({ start: 0, end: 0.9 });
    expect(p[1]!.end).toBeCloseTo(2.2);
    expect(p[2]!.end).toBeCloseTo(3.6);
  });
  it('does not end a phrase on a word that leads into the next', () => {
    const p = phrases(
      words(
        ['Every', 0, 0.2],
        ['morning', 0.3, 0.6],
        ['deserves', 0.7, 1],
        ['a', 1.1, 1.2],
        ['better', 1.3, 1.6],
        ['start.', 1.7, 2],
      ),
    );
    expect(p.map((x) => x.text)).toEqual(['Every morning deserves', 'a better start.']);
  });
  it('places each line on the ad timeline by its scene and the voice lead-in', () => {
    const placed = adWords(spec());
    expect(placed[0]!.start).toBe(VOICE_LEAD_SECONDS);
    expect(voiceRoom(3)).toBeCloseTo(2.6);
  });
  it('writes ASS with the format size, the safe-zone margins, karaoke and the card', () => {
    const doc = adSubtitles(spec(), '9:16')!;
    expect(doc).toContain('PlayResX: 720');
    expect(doc).toContain('PlayResY: 1280');
    // 9:16: clear of the right-hand buttons (17%) and the bottom caption area (30%), by the letters' outline
    // (4 px), shadow (2 px) and overhang (3 px) too.
    expect(doc).toMatch(/Style: Caption,.*,50,131,393,1$/m);
    expect(doc).toContain(
      `Dialogue: 0,${assTime(0.25)},${assTime(1.45)},Caption,,0,0,0,,{\\k50}Fresh {\\k70}coffee.`,
    );
    expect(doc).toContain('Morning Brew');
    expect(doc).toContain('Order today');
    expect(adSubtitles(spec({ captions: false }), '16:9')).not.toContain('Caption,,');
    expect(adSubtitles(spec({ captions: false, endCard: undefined }), '16:9')).toBeUndefined();
  });
  it('keeps text literal and times in centiseconds', () => {
    expect(assText('a {b} \\N c')).toBe('a (b) /N c');
    expect(assTime(3725.456)).toBe('1:02:05.46');
  });
});

describe('colours', () => {
  it('lightens a dark accent until it reads on a black outline, and picks text for a card', () => {
    expect(luminance(lightened('#1d3557'))).toBeGreaterThanOrEqual(0.45);
    expect(lightened('#ffee00')).toBe('#ffee00');
    expect(textOn('#1d3557')).toBe('#ffffff');
    expect(textOn('#f1faee')).toBe('#111111');
    // The card's accent bar: a palette colour that shows on the background, else white or black.
    expect(mostContrasting('#5a4a1a', ['#3b5a2a', '#f0c040'])).toBe('#f0c040');
    expect(mostContrasting('#5a4a1a', ['#3b5a2a'])).toBe('#ffffff');
  });
});

describe('graphs', () => {
  it('crops between close ratios and fills over a blur between far ones', () => {
    expect(reframeMode('9:16', '4:5')).toBe('crop');
    expect(reframeMode('9:16', '9:16')).toBe('crop');
    expect(reframeMode('9:16', '1:1')).toBe('blur');
    expect(reframeMode('9:16', '16:9')).toBe('blur');
    expect(reframeMode('16:9', '1:1')).toBe('blur');
  });
  it('mixes the voice over the music bed ducked by a sidechain, to the exact length', () => {
    const args = mixArgs(spec(), { mix: 'mix.wav' }).join(' ');
    expect(args).toContain('-stream_loop -1 -protocol_whitelist file -f mp3 -i bed.mp3');
    expect(args).toContain('sidechaincompress');
    expect(args).toContain('adelay=250|250');
    expect(args).toContain('atrim=duration=10[mix]');
    // With a music bed the scenes' own audio is not used.
    expect(args).not.toContain('b.mp3');
  });
  it('without a bed crossfades the scenes’ own audio at the cuts', () => {
    const args = mixArgs(spec({ music: undefined }), { mix: 'mix.wav' }).join(' ');
    expect(args).toContain('-i b.mp3');
    expect(args.match(/acrossfade=d=0.5/g)).toHaveLength(2);
    const cut = mixArgs(spec({ music: undefined, transition: 'cut' }), { mix: 'm.wav' }).join(' ');
    expect(cut).not.toContain('acrossfade');
  });
  it('lays every segment over the base with its fade, burns the subtitles, and cuts to the length', () => {
    const args = videoArgs(spec({ endCard: { ...spec().endCard!, logo: 'logo.png' } }), '1:1', {
      audio: 'master.wav',
      subtitles: '/tmp/x/text-1x1.ass',
      fontsDir: '/fonts',
      output: 'out.mp4',
    });
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).toContain('color=c=black:s=720x720:r=30:d=10[base]');
    expect(graph.match(/overlay=eof_action=pass/g)).toHaveLength(3);
    expect(graph.match(/fade=t=in:st=0:d=0.5:alpha=1/g)).toHaveLength(2);
    expect(graph).toContain('boxblur');
    expect(graph).toContain("subtitles='/tmp/x/text-1x1.ass':fontsdir='/fonts'");
    expect(graph).toContain('color=c=0x1d3557');
    expect(args).toContain('logo.png');
    expect(args.slice(args.indexOf('-t'), args.indexOf('-t') + 2)).toEqual(['-t', '10']);
  });
  it('quotes filter values', () => {
    expect(filterValue("/a:b/it's")).toBe("'/a\\:b/it'\\\\\\''s'");
  });
});

describe('loudness', () => {
  it('reads the meter summary, and a silent mix as nothing to normalise', () => {
    const summary =
      'x\nSummary:\n\n  Integrated loudness:\n    I:         -23.4 LUFS\n  True peak:\n    Peak:       -5.2 dBFS\n';
    expect(parseMeasure(summary)).toEqual({ integrated: -23.4, truePeak: -5.2 });
    expect(parseMeasure('Summary:\n    I:         -70.0 LUFS\n    Peak:       -inf dBFS')).toBeNull();
    expect(() => parseMeasure('nothing')).toThrow();
  });
  it('corrects by the shortfall, asking for more once the limiter has taken its share', () => {
    expect(gainFor({ integrated: -20, truePeak: -3 })).toBe(6);
    expect(gainFor({ integrated: -15, truePeak: -1.5 }, 6)).toBe(7.5);
    expect(gainFor({ integrated: -13, truePeak: -1.5 }, 6)).toBe(5);
  });
});

describe('imageInfo', () => {
  const PNG_1x1 = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  it('knows a PNG by its bytes and refuses lookalikes', () => {
    expect(imageInfo(PNG_1x1)).toEqual({ kind: 'png', width: 1, height: 1 });
    expect(imageInfo(PNG_1x1.subarray(0, 40))).toBeUndefined();
    expect(imageInfo(Buffer.from('GIF89a....'))).toBeUndefined();
    expect(imageInfo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
  });
  it('knows a JPEG by its frame header and end marker', () => {
    const sof = Buffer.from([
      0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x20, 0x00, 0x40, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8]), sof, Buffer.from([0xff, 0xd9])]);
    expect(imageInfo(jpeg)).toEqual({ kind: 'jpg', width: 64, height: 32 });
    expect(imageInfo(jpeg.subarray(0, jpeg.length - 2))).toBeUndefined();
  });
});
