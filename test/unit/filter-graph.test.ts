// The filter-graph composer (render/graph.ts) and its parts: inputs numbered across parts and read through
// the hardened input builder, and a wiring mistake (a label made twice, used twice, never made, never used,
// another part's input) thrown as a programming error naming the parts, before ffmpeg ever runs.
import { describe, expect, it } from 'vitest';
import { composeGraph, FilterGraphError, type GraphPart } from '../../functions/src/render/graph.js';
import { endCard, sceneClip, stacked } from '../../functions/src/render/picture-parts.js';
import { musicBed, voiceOverBed } from '../../functions/src/render/sound-parts.js';
import { timeline } from '../../functions/src/render/timeline.js';

const source = (name: string, output: string): GraphPart => ({
  name,
  inputs: [],
  filters: () => [`anullsrc[${output}]`],
  output,
});
const sink = (name: string, from: string[], output: string): GraphPart => ({
  name,
  inputs: [],
  filters: () => [`${from.map((l) => `[${l}]`).join('')}amix=inputs=${from.length}[${output}]`],
  output,
});

describe('composeGraph', () => {
  it('numbers every part’s inputs in order, each read as a local file of its extension’s format', () => {
    const clip = sceneClip('a.mp4', 0, timeline([3], 0)[0]!, 'crop', {
      format: '9:16',
      width: 720,
      height: 1280,
    });
    const bed = musicBed('bed.mp3', 3);
    const graph = composeGraph([clip, bed], [clip.output!, bed.output!]);
    expect(graph.inputArgs).toEqual([
      ...['-protocol_whitelist', 'file', '-f', 'mp4', '-i', 'a.mp4'],
      ...['-stream_loop', '-1', '-protocol_whitelist', 'file', '-f', 'mp3', '-i', 'bed.mp3'],
    ]);
    expect(graph.inputsOf(clip)).toEqual([0]);
    expect(graph.inputsOf(bed)).toEqual([1]);
    expect(graph.filterComplex).toMatch(/^\[0:v:0\]setpts=PTS-STARTPTS/);
    expect(graph.filterComplex).toContain(';[1:a:0]aresample=48000');
  });

  it('refuses a file whose extension names no format it reads', () => {
    const part: GraphPart = {
      name: 'the clip',
      inputs: [{ path: 'clip.m3u8' }],
      filters: () => [],
      output: undefined,
    };
    expect(() => composeGraph([part])).toThrow(/cannot read a \.m3u8 file/);
  });

  it('accepts a graph where every label is made once and used once', () => {
    const a = source('the voice', 'voice');
    const b = source('the bed', 'bed');
    const mix = voiceOverBed(a.output!, b.output!, 10);
    expect(() => composeGraph([a, b, mix], ['mix'])).not.toThrow();
  });

  it.each<[string, () => ComposedCase, RegExp]>([
    [
      'a label made by two parts',
      () => [[source('the voice', 'x'), source('the bed', 'x'), sink('the mix', ['x'], 'mix')], ['mix']],
      /\[x\] is made by both the voice and the bed/,
    ],
    [
      'a label used by two parts',
      () => [
        [source('the voice', 'x'), sink('the mix', ['x'], 'mix'), sink('the stem', ['x'], 'stem')],
        ['mix', 'stem'],
      ],
      /\[x\] is used by both the mix and the stem/,
    ],
    [
      'a label nobody makes',
      () => [[sink('the mix', ['voice'], 'mix')], ['mix']],
      /the mix uses \[voice\], which no part makes/,
    ],
    [
      'a label nobody uses',
      () => [
        [source('the voice', 'voice'), source('the bed', 'bed'), sink('the mix', ['bed'], 'mix')],
        ['mix'],
      ],
      /the voice makes \[voice\], which nothing uses/,
    ],
    [
      'a mapped label also used by a part',
      () => [
        [source('the voice', 'voice'), sink('the mix', ['voice'], 'mix')],
        ['mix', 'voice'],
      ],
      /\[voice\] is both mapped and used by the mix/,
    ],
    [
      'a mapped label nobody makes',
      () => [
        [source('the voice', 'voice'), sink('the mix', ['voice'], 'mix')],
        ['mix', 'stem'],
      ],
      /the output uses \[stem\], which no part makes/,
    ],
    [
      'an output the part does not make',
      () => [[{ ...source('the voice', 'voice'), output: 'speech' }], ['voice']],
      /the voice names \[speech\] as its output but does not make it/,
    ],
    [
      "another part's input",
      () => [
        [
          { name: 'the clip', inputs: [{ path: 'a.mp4' }], filters: () => [], output: undefined },
          { name: 'the card', inputs: [], filters: () => ['[0:v:0]null[v]'], output: 'v' },
        ],
        ['v'],
      ],
      /the card reads input 0, which is not one of its own/,
    ],
    [
      'one part twice',
      () => {
        const voice = source('the voice', 'voice');
        return [[voice, voice], ['voice']];
      },
      /the voice is in the graph twice/,
    ],
  ])('throws a programming error for %s', (_, build, message) => {
    const [parts, mapped] = build();
    expect(() => composeGraph(parts, mapped)).toThrow(FilterGraphError);
    expect(() => composeGraph(parts, mapped)).toThrow(message);
  });
});

type ComposedCase = [GraphPart[], string[]];

describe('parts', () => {
  const frame = { format: '1:1' as const, width: 720, height: 720 };

  it('an end card with a logo reads the logo as its own input and makes its segment’s layer', () => {
    const seg = timeline([3, 4, 2], 0.5)[2]!;
    const card = endCard({ palette: ['#f1faee', '#1d3557'], logo: 'logo.png' }, 2, seg, frame);
    expect(card.output).toBe('s2');
    expect(card.inputs).toEqual([{ path: 'logo.png' }]);
    const chains = card.filters([7]);
    expect(chains[0]).toMatch(
      /^color=c=0xf1faee:s=720x720:r=30:d=2.25,setsar=1,drawbox=.*color=0x1d3557.*\[cardbg\]$/,
    );
    // The logo fits a box 60% as wide as the 620 px between the 1:1 safe margins.
    expect(chains).toContain(
      '[7:v:0]scale=372:177:force_original_aspect_ratio=decrease:flags=lanczos,format=rgba[logo]',
    );
    expect(chains.at(-1)).toMatch(
      /^\[cardlogo\]format=yuva420p,.*fade=t=in:st=0:d=0.5:alpha=1,setpts=PTS\+6.75\/TB\[s2\]$/,
    );
    // Without a logo the card reads no file and its background goes straight to its place.
    const plain = endCard({ palette: ['#1d3557'] }, 2, seg, frame);
    expect(plain.inputs).toEqual([]);
    expect(plain.filters([]).at(-1)).toMatch(/^\[cardbg\]format=yuva420p/);
  });

  it('the stack lays each layer over the one before, ending on the last', () => {
    const part = stacked('base', ['s0', 's1', 's2']);
    expect(part.output).toBe('o2');
    expect(part.filters([])).toEqual([
      '[base][s0]overlay=eof_action=pass[o0]',
      '[o0][s1]overlay=eof_action=pass[o1]',
      '[o1][s2]overlay=eof_action=pass[o2]',
    ]);
  });
});
