// Text-to-speech and word timing through the `openai` SDK: `audio.speech` speaks a scene's voiceover line
// (WAV: lossless, and with no encoder delay to shift the word timings), and `audio.transcriptions` with
// word timestamps says when each word of that very audio is spoken, which is what the captions are timed by.
// One HTTP attempt per call, as for the language model: Cloud Tasks does the retrying.
import { wordsOf } from '@reelforge/schema';
import { ProviderError, classifyError } from './errors.js';

export interface SpeechOptions {
  baseURL: string;
  apiKey: string;
  /** TTS model, e.g. `gpt-4o-mini-tts` (takes voice instructions) or `tts-1`. */
  model: string;
  voice: string;
  /** Transcription model that returns word timestamps (`whisper-1`). */
  transcriptionModel: string;
  timeoutMs?: number;
  /** Aborts a request in flight (the job was canceled); the SDK closes the connection. */
  signal?: AbortSignal;
}

export interface TimedWord {
  word: string;
  start: number;
  end: number;
}

export interface Transcript {
  text: string;
  durationSeconds: number;
  words: TimedWord[];
}

export interface SpeechProvider {
  /** The line spoken as a WAV file. `instructions` direct the voice where the model takes them. */
  speak(text: string, instructions?: string): Promise<Buffer>;
  /** When each word of `audio` is spoken; `language` (ISO-639-1, e.g. `es`) is what it is spoken in. */
  transcribe(audio: Buffer, fileName: string, language?: string): Promise<Transcript>;
}

/** Models of the `tts-1` family ignore (and some refuse) voice instructions. */
export function takesInstructions(model: string): boolean {
  return !/^tts-1/.test(model);
}

const loadOpenAI = () => import('openai');
type OpenAIModule = Awaited<ReturnType<typeof loadOpenAI>>;
type OpenAIClient = InstanceType<OpenAIModule['default']>;

export function createSpeechProvider(options: SpeechOptions): SpeechProvider {
  let client: Promise<{ openai: OpenAIClient; sdk: OpenAIModule }> | undefined;
  const getClient = () =>
    (client ??= loadOpenAI().then((sdk) => ({
      sdk,
      openai: new sdk.default({
        baseURL: options.baseURL,
        apiKey: options.apiKey,
        timeout: options.timeoutMs ?? 120_000,
        maxRetries: 0,
      }),
    })));

  const requestOptions = options.signal ? { signal: options.signal } : {};
  return {
    async speak(text, instructions) {
      const { openai } = await getClient();
      try {
        const response = await openai.audio.speech.create(
          {
            model: options.model,
            voice: options.voice,
            input: text,
            response_format: 'wav',
            ...(instructions && takesInstructions(options.model) ? { instructions } : {}),
          },
          requestOptions,
        );
        return Buffer.from(await response.arrayBuffer());
      } catch (err) {
        throw classifyError(err, 'openai');
      }
    },

    async transcribe(audio, fileName, language) {
      const { openai, sdk } = await getClient();
      let result: { text?: unknown; duration?: unknown; words?: unknown };
      try {
        result = (await openai.audio.transcriptions.create(
          {
            file: await sdk.toFile(audio, fileName, { type: 'audio/wav' }),
            model: options.transcriptionModel,
            response_format: 'verbose_json',
            timestamp_granularities: ['word'],
            ...(language ? { language } : {}),
          },
          requestOptions,
        )) as typeof result;
      } catch (err) {
        throw classifyError(err, 'openai');
      }
      const words = Array.isArray(result.words) ? (result.words as Partial<TimedWord>[]) : [];
      const clean = words.filter(
        (w): w is TimedWord =>
          typeof w.word === 'string' &&
          w.word.trim() !== '' &&
          Number.isFinite(w.start) &&
          Number.isFinite(w.end) &&
          w.end! >= w.start!,
      );
      const duration = Number(result.duration);
      if (!Number.isFinite(duration)) {
        throw new ProviderError('openai', 'OpenAI: the transcription has no duration', {
          retryable: false,
          code: 'invalid_output',
        });
      }
      return {
        text: typeof result.text === 'string' ? result.text : '',
        durationSeconds: duration,
        words: clean.map((w) => ({ word: w.word.trim(), start: w.start, end: w.end })),
      };
    },
  };
}

/** Normalised for matching: lower case, letters and digits only. */
function key(word: string): string {
  return word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * The script's own words (with their capitals and punctuation) on the transcription's times. A
 * transcription may spell a word differently, drop or add one; words are matched in order by their
 * normalised form, and a script word with no match takes the time between its neighbours. With nothing
 * matched at all, the transcribed words are used as they are.
 */
export function alignWords(script: string, heard: readonly TimedWord[], language?: string): TimedWord[] {
  const tokens = wordsOf(script, language);
  if (tokens.length === 0 || heard.length === 0) return [...heard];
  const times: (TimedWord | undefined)[] = tokens.map(() => undefined);
  let j = 0;
  let matched = 0;
  for (let i = 0; i < tokens.length; i++) {
    const k = key(tokens[i]!);
    // Look a few words ahead in the transcription for this script word.
    for (let ahead = j; ahead < Math.min(heard.length, j + 4); ahead++) {
      if (key(heard[ahead]!.word) === k) {
        times[i] = heard[ahead];
        j = ahead + 1;
        matched++;
        break;
      }
    }
  }
  if (matched === 0) return [...heard];
  const last = heard.at(-1)!;
  return tokens.map((word, i) => {
    const own = times[i];
    if (own) return { word, start: own.start, end: own.end };
    const before = times.slice(0, i).reverse().find(Boolean);
    const after = times.slice(i + 1).find(Boolean);
    const start = before ? before.end : 0;
    const end = after ? after.start : last.end;
    return { word, start, end: Math.max(start, end) };
  });
}
