// Voiceover speech and word timings through the real `openai` SDK against the stand-in: real audio (the
// file is decodable and as long as it says), the word times are the ones the stand-in spoke, and the
// script's own words land on them; errors are classified for the job runner.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../functions/src/providers/errors.js';
import { alignWords, createSpeechProvider } from '../../functions/src/providers/speech.js';
import { speak } from '../../scripts/standin/speech.js';
import { API_KEY, ffprobe, standinWithScratch } from './helpers.js';

const env = standinWithScratch();

const provider = () =>
  createSpeechProvider({
    baseURL: env.server.openaiBaseUrl,
    apiKey: API_KEY,
    model: 'gpt-4o-mini-tts',
    voice: 'coral',
    transcriptionModel: 'whisper-1',
  });

describe('speech provider against the stand-in', () => {
  it('speaks a line as WAV and transcribes it with the word times the speech really has', async () => {
    const line = 'Fresh coffee, brewed in seconds.';
    const wav = await provider().speak(line, 'Warm and upbeat.');
    const path = join(env.dir, 'line.wav');
    await writeFile(path, wav);
    const probe = await ffprobe(path);
    expect(probe.streams[0]?.codec_name).toBe('pcm_s16le');
    const transcript = await provider().transcribe(wav, 'line.wav');
    expect(transcript.words.map((w) => w.word)).toEqual(['fresh', 'coffee', 'brewed', 'in', 'seconds']);
    // The same speech made directly: the times must be the ones it was made with.
    const made = await speak(line);
    expect(transcript.words.map((w) => w.start)).toEqual(made.words.map((w) => w.start));
    expect(transcript.durationSeconds).toBeCloseTo(made.durationSeconds, 2);
    expect(probe.duration).toBeCloseTo(made.durationSeconds, 2);
    for (let i = 1; i < transcript.words.length; i++) {
      expect(transcript.words[i]!.start).toBeGreaterThanOrEqual(transcript.words[i - 1]!.end);
    }
    // The script's spelling on the transcription's times.
    const aligned = alignWords(line, transcript.words);
    expect(aligned.map((w) => w.word)).toEqual(['Fresh', 'coffee,', 'brewed', 'in', 'seconds.']);
    expect(aligned[1]!.start).toBe(transcript.words[1]!.start);
  });

  it('refuses audio it did not make, as a permanent error', async () => {
    const error = await provider()
      .transcribe(Buffer.from('RIFF\0\0\0\0WAVEnothing'), 'x.wav')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).retryable).toBe(false);
  });

  it('turns a 429 into a retryable error', async () => {
    env.server.faults.add({ target: 'openai', kind: 'speech', fault: 'http_429', times: 1 });
    const error = await provider()
      .speak('Hello there.')
      .catch((e: unknown) => e);
    expect((error as ProviderError).retryable).toBe(true);
  });
});

describe('alignWords', () => {
  it('fills a word the transcription missed from its neighbours and keeps the order', () => {
    const heard = [
      { word: 'taste', start: 0, end: 0.3 },
      { word: 'morning', start: 0.8, end: 1.2 },
    ];
    expect(alignWords('Taste the morning!', heard)).toEqual([
      { word: 'Taste', start: 0, end: 0.3 },
      { word: 'the', start: 0.3, end: 0.8 },
      { word: 'morning!', start: 0.8, end: 1.2 },
    ]);
  });
  it('uses the transcription as heard when nothing matches', () => {
    const heard = [{ word: 'hola', start: 0, end: 0.4 }];
    expect(alignWords('Hello', heard)).toEqual(heard);
  });
});
