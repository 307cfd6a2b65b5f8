// Real speech made offline for the stand-in's OpenAI audio routes, with eSpeak-NG compiled to WebAssembly
// (the `espeak-ng` npm package, GPL-3.0, a dev dependency: never part of the deployed functions).
//
// Each word is spoken on its own and the words are laid end to end with short pauses (longer after
// punctuation), so the stand-in knows to the sample when every word starts and ends. Those timings are
// written into the WAV itself, in a private RIFF chunk that players ignore; the stand-in's transcription
// route reads them back from the uploaded file, which is how it answers with true word timestamps for any
// voiceover it made, even after a restart.
import ESpeakNg from 'espeak-ng';
import { wordsOf } from '@reelforge/schema';

export interface Word {
  word: string;
  start: number;
  end: number;
}

export interface Speech {
  wav: Buffer;
  words: Word[];
  durationSeconds: number;
  sampleRate: number;
}

const TIMING_CHUNK = 'rfwt';
const THRESHOLD = 500;
const MARGIN_SECONDS = 0.015;
const GAP_SECONDS = { word: 0.06, comma: 0.2, stop: 0.35 };

/** The PCM samples and rate of a 16-bit mono WAV. */
function readWav(bytes: Uint8Array): { samples: Int16Array; rate: number } {
  const buf = Buffer.from(bytes);
  let offset = 12;
  let rate = 22050;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    // eSpeak streams its WAV and leaves the data size at 0x7fffffff: take what is there.
    const size = Math.min(buf.readUInt32LE(offset + 4), buf.length - offset - 8);
    if (id === 'fmt ') rate = buf.readUInt32LE(offset + 12);
    if (id === 'data') {
      const data = buf.subarray(offset + 8, offset + 8 + size - (size % 2));
      return {
        samples: new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)),
        rate,
      };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('espeak-ng wrote no audio');
}

const cache = new Map<string, { samples: Int16Array; rate: number }>();

async function speakWord(word: string, voice: string, speed: number) {
  const key = `${voice}|${speed}|${word}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const espeak = await ESpeakNg({ arguments: ['-v', voice, '-s', String(speed), '-w', 'out.wav', word] });
  const wav = readWav(espeak.FS.readFile('out.wav') as Uint8Array);
  // Only the sound: eSpeak pads every utterance with silence.
  let first = 0;
  let last = wav.samples.length - 1;
  while (first < last && Math.abs(wav.samples[first]!) < THRESHOLD) first++;
  while (last > first && Math.abs(wav.samples[last]!) < THRESHOLD) last--;
  const margin = Math.round(MARGIN_SECONDS * wav.rate);
  const trimmed = {
    samples: wav.samples.slice(Math.max(0, first - margin), Math.min(wav.samples.length, last + margin)),
    rate: wav.rate,
  };
  if (cache.size > 2000) cache.clear();
  cache.set(key, trimmed);
  return trimmed;
}

function chunk(id: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'ascii');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function wavFile(samples: Int16Array, rate: number, words: Word[]): Buffer {
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(1, 0); // PCM
  fmt.writeUInt16LE(1, 2); // mono
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE(rate * 2, 8);
  fmt.writeUInt16LE(2, 12);
  fmt.writeUInt16LE(16, 14);
  const body = Buffer.concat([
    Buffer.from('WAVE', 'ascii'),
    chunk('fmt ', fmt),
    chunk(TIMING_CHUNK, Buffer.from(JSON.stringify({ words }), 'utf8')),
    chunk('data', Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)),
  ]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

/** Words per minute for OpenAI's `speed` (0.25..4, 1 = normal); eSpeak's normal is 175. */
export function espeakSpeed(speed: number | undefined): number {
  const s = Number.isFinite(speed) && speed ? Math.min(4, Math.max(0.25, speed)) : 1;
  return Math.round(Math.min(450, Math.max(80, 175 * s)));
}

export async function speak(
  text: string,
  options: { voice?: string; speed?: number; language?: string } = {},
): Promise<Speech> {
  // Word by word, as the functions' captions split the line: at spaces, or by the segmenter in a script
  // without them.
  const tokens = wordsOf(text, options.language);
  const voice = options.voice ?? 'en-us';
  const speed = espeakSpeed(options.speed);
  const parts: Int16Array[] = [];
  const words: Word[] = [];
  let rate = 22050;
  let at = 0;
  for (const [i, token] of tokens.entries()) {
    const spoken = await speakWord(token, voice, speed);
    rate = spoken.rate;
    words.push({ word: token, start: at / rate, end: (at + spoken.samples.length) / rate });
    parts.push(spoken.samples);
    at += spoken.samples.length;
    if (i < tokens.length - 1) {
      const gap = /[.!?]$/.test(token)
        ? GAP_SECONDS.stop
        : /[,;:]$/.test(token)
          ? GAP_SECONDS.comma
          : GAP_SECONDS.word;
      const silence = new Int16Array(Math.round(gap * rate));
      parts.push(silence);
      at += silence.length;
    }
  }
  // A short tail so a player does not click off the last word.
  const tail = new Int16Array(Math.round(0.05 * rate));
  parts.push(tail);
  at += tail.length;
  const samples = new Int16Array(at);
  let offset = 0;
  for (const p of parts) {
    samples.set(p, offset);
    offset += p.length;
  }
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const timed = words.map((w) => ({ word: w.word, start: round(w.start), end: round(w.end) }));
  return { wav: wavFile(samples, rate, timed), words: timed, durationSeconds: at / rate, sampleRate: rate };
}

/** The word timings a WAV made by `speak` carries, or undefined for any other audio. */
export function timingsOf(file: Uint8Array): { words: Word[]; durationSeconds: number } | undefined {
  const buf = Buffer.from(file);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    return undefined;
  }
  let offset = 12;
  let words: Word[] | undefined;
  let rate = 0;
  let dataBytes = 0;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = Math.min(buf.readUInt32LE(offset + 4), buf.length - offset - 8);
    if (id === 'fmt ') rate = buf.readUInt32LE(offset + 8 + 4);
    if (id === TIMING_CHUNK) {
      words = (JSON.parse(buf.toString('utf8', offset + 8, offset + 8 + size)) as { words: Word[] }).words;
    }
    if (id === 'data') dataBytes = size;
    offset += 8 + size + (size % 2);
  }
  if (!words || rate === 0) return undefined;
  return { words, durationSeconds: dataBytes / 2 / rate };
}
