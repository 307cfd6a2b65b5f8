// One line spoken and timed, as the voiceover job does it for the storyboard's language and the translate
// job for each other one: OpenAI's speech (WAV: lossless, no encoder delay to shift the timings), then its
// transcription with word timestamps, aligned to the line's own words. Both calls are billed as they are
// made, and a call aborted in flight (the job was canceled) is billed too: the provider received it.
import { LIMITS, VoiceoverTimingSchema, type VoiceoverTiming } from '@reelforge/schema';
import { alignWords, type SpeechProvider } from '../../providers/index.js';
import type { JobContext } from '../types.js';

export interface SpokenLine {
  wav: Buffer;
  timing: VoiceoverTiming;
  /** When the last word ends: what must fit the scene (the file may end in silence, which the render trims). */
  spoken: number;
}

/** `text` spoken with `direction` (voice instructions) and timed; `language` is a BCP-47 tag other than the
 * storyboard's, whose ISO-639-1 code the transcription is told. */
export async function speakLine(
  ctx: JobContext,
  speech: SpeechProvider,
  text: string,
  direction: string,
  language?: { tag: string; code: string },
  /** Called between the speech and its transcription (the voiceover job reports its progress there). */
  spokenNow?: () => Promise<void>,
): Promise<SpokenLine> {
  const { model, transcriptionModel } = ctx.config.providers.openai.speech;
  // Speech is billed by the characters sent, transcription by the seconds of audio: both known before the
  // answer, so an aborted call is booked at them.
  const wav = await booked(ctx.signal, speech.speak(text, direction), () =>
    ctx.cost.speech(model, text.length),
  );
  ctx.cost.speech(model, text.length);
  await spokenNow?.();
  const transcript = await booked(ctx.signal, speech.transcribe(wav, 'voiceover.wav', language?.code), () =>
    ctx.cost.transcription(transcriptionModel, wavSeconds(wav)),
  );
  ctx.cost.transcription(transcriptionModel, transcript.durationSeconds);
  const words = alignWords(text, transcript.words, language?.tag);
  const spoken = words.length ? Math.max(...words.map((w) => w.end)) : transcript.durationSeconds;
  const timing = VoiceoverTimingSchema.parse({
    text,
    duration_seconds: transcript.durationSeconds,
    words: words.slice(0, LIMITS.VOICEOVER_TEXT_MAX),
  });
  return { wav, timing, spoken };
}

/** `call`'s answer; if it fails because `signal` aborted it, `bookAborted` books what it cost first. */
async function booked<T>(signal: AbortSignal, call: Promise<T>, bookAborted: () => void): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (signal.aborted) bookAborted();
    throw err;
  }
}

/** Seconds of a PCM WAV file, from its header's byte rate (offset 28) and the bytes after the header. */
export function wavSeconds(wav: Buffer): number {
  const WAV_HEADER_BYTES = 44;
  if (wav.length < WAV_HEADER_BYTES) return 0;
  const byteRate = wav.readUInt32LE(28);
  return byteRate > 0 ? (wav.length - WAV_HEADER_BYTES) / byteRate : 0;
}
