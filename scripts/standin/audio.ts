// OpenAI's audio routes, played with real offline speech (speech.ts):
//   POST /openai/v1/audio/speech          JSON { model, input, voice, instructions?, response_format?, speed? }
//                                         -> the spoken line in any format the API speaks (wav, pcm; mp3,
//                                            opus, aac and flac through ffmpeg)
//   POST /openai/v1/audio/transcriptions  multipart { file, model, response_format, timestamp_granularities[] }
//                                         -> json, text, srt, vtt, or verbose_json with word timestamps
// Both bodies have already passed OpenAI's API description (traffic.ts); what the description says only in
// words (`verbose_json` is not available on gpt-4o-transcribe) is checked here.
// The transcription knows the words' times because the stand-in made the speech: they travel inside the
// WAV it returned. Audio it did not make is refused with a 400 that says so.
import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFfmpeg } from './ffmpeg.js';
import { espeakVoice, speechLanguage } from './languages.js';
import { HttpError, sendJson } from './http.js';
import { FAULT_ANSWERS } from './openai.js';
import type { RouteContext } from './routes.js';
import { applyHttpFaults, providerLatency } from './routes.js';
import { speak, timingsOf, type Word } from './speech.js';
import type { ApiBody } from './traffic.js';

interface SpeechRequest {
  model: string;
  input: string;
  voice: unknown;
  instructions?: string;
  response_format?: SpeechFormat;
  speed?: number;
}

type SpeechFormat = 'mp3' | 'opus' | 'aac' | 'flac' | 'wav' | 'pcm';

/** How ffmpeg makes each compressed format, and the type it is served as. */
const ENCODED: Record<Exclude<SpeechFormat, 'wav' | 'pcm'>, { args: string[]; ext: string; type: string }> = {
  mp3: { args: ['-c:a', 'libmp3lame', '-b:a', '96k'], ext: 'mp3', type: 'audio/mpeg' },
  // Opus in Ogg at 48 kHz (the rates Opus takes do not include eSpeak's 22.05 kHz).
  opus: {
    args: ['-c:a', 'libopus', '-b:a', '48k', '-ar', '48000', '-f', 'ogg'],
    ext: 'ogg',
    type: 'audio/ogg',
  },
  aac: { args: ['-c:a', 'aac', '-b:a', '96k', '-f', 'adts'], ext: 'aac', type: 'audio/aac' },
  flac: { args: ['-c:a', 'flac', '-f', 'flac'], ext: 'flac', type: 'audio/flac' },
};

async function encode(wav: Buffer, format: keyof typeof ENCODED): Promise<Buffer> {
  const { args, ext } = ENCODED[format];
  const base = join(tmpdir(), `standin-speech-${randomUUID()}`);
  try {
    await writeFile(`${base}.wav`, wav);
    await runFfmpeg(['-i', `${base}.wav`, ...args, `${base}.${ext}`]);
    return await readFile(`${base}.${ext}`);
  } finally {
    await rm(`${base}.wav`, { force: true });
    await rm(`${base}.${ext}`, { force: true });
  }
}

export async function speechRoute(request: ApiBody, res: ServerResponse, ctx: RouteContext): Promise<void> {
  if (request.kind !== 'json') throw new HttpError(400, 'the body must be JSON');
  const body = request.json as SpeechRequest;
  if (body.input.trim() === '') throw new HttpError(400, "Invalid 'input': the text to speak is empty.");
  const format = body.response_format ?? 'mp3';
  const faults = ctx.faults.take({ target: 'openai', kind: 'speech', model: body.model, text: body.input });
  if (await applyHttpFaults(faults, res, ctx, FAULT_ANSWERS)) return;
  ctx.stats.speech += 1;
  await providerLatency(ctx, 'speech');

  // The voice that speaks the line's language (named in the instructions, or told by its script), as
  // OpenAI's voices speak whatever language they are given.
  const language = speechLanguage(
    body.input,
    typeof body.instructions === 'string' ? body.instructions : undefined,
  );
  const speech = await speak(body.input, {
    voice: espeakVoice(language),
    language,
    ...(body.speed === undefined ? {} : { speed: body.speed }),
  });
  let bytes: Buffer = speech.wav;
  let type = 'audio/wav';
  if (format === 'pcm') {
    // OpenAI's pcm is raw 24 kHz 16-bit mono; the stand-in's is at eSpeak's rate (said in a header).
    bytes = speech.wav.subarray(speech.wav.indexOf('data') + 8);
    type = 'audio/pcm';
  } else if (format !== 'wav') {
    bytes = await encode(speech.wav, format);
    type = ENCODED[format].type;
  }
  res.writeHead(200, {
    'content-type': type,
    'content-length': String(bytes.length),
    'x-standin-sample-rate': String(speech.sampleRate),
  });
  res.end(bytes);
}

/** Transcription models whose only format is `json` (OpenAI's description of `response_format`). */
const JSON_ONLY_MODELS = /^gpt-4o(-mini)?-transcribe(-\d{4}-\d{2}-\d{2})?$/;

function timestamp(seconds: number, separator: ',' | '.'): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}

function sendText(res: ServerResponse, type: string, text: string): void {
  res.writeHead(200, {
    'content-type': `${type}; charset=utf-8`,
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export async function transcriptionRoute(
  request: ApiBody,
  res: ServerResponse,
  ctx: RouteContext,
): Promise<void> {
  if (request.kind !== 'form') throw new HttpError(400, 'expected multipart/form-data');
  const form = request.form;
  const file = form.get('file');
  const model = String(form.get('model'));
  const format = String(form.get('response_format') ?? 'json');
  if (!(file instanceof Blob)) throw new HttpError(400, "Invalid 'file': expected a file upload.");
  if (format !== 'json' && JSON_ONLY_MODELS.test(model)) {
    sendJson(res, 400, {
      error: {
        message: `response_format '${format}' is not compatible with model '${model}'. Use 'json' instead.`,
        type: 'invalid_request_error',
        param: 'response_format',
        code: 'unsupported_value',
      },
    });
    return;
  }
  if (format === 'diarized_json' && !/diarize/.test(model)) {
    sendJson(res, 400, {
      error: {
        message: `response_format 'diarized_json' is only available on gpt-4o-transcribe-diarize.`,
        type: 'invalid_request_error',
        param: 'response_format',
        code: 'unsupported_value',
      },
    });
    return;
  }
  const faults = ctx.faults.take({ target: 'openai', kind: 'transcription', model, text: '' });
  if (await applyHttpFaults(faults, res, ctx, FAULT_ANSWERS)) return;
  ctx.stats.transcriptions += 1;
  await providerLatency(ctx, 'transcription');

  const timing = timingsOf(new Uint8Array(await file.arrayBuffer()));
  if (!timing) {
    throw new HttpError(
      400,
      'the stand-in can only transcribe speech it made itself (a WAV from /audio/speech)',
    );
  }
  const text = timing.words.map((w) => w.word).join(' ');
  const duration = Math.round(timing.durationSeconds * 1000) / 1000;
  if (format === 'text') return sendText(res, 'text/plain', text);
  if (format === 'srt')
    return sendText(
      res,
      'text/plain',
      `1\n${timestamp(0, ',')} --> ${timestamp(duration, ',')}\n${text}\n\n`,
    );
  if (format === 'vtt')
    return sendText(
      res,
      'text/vtt',
      `WEBVTT\n\n${timestamp(0, '.')} --> ${timestamp(duration, '.')}\n${text}\n\n`,
    );
  if (format === 'diarized_json') {
    sendJson(res, 200, {
      task: 'transcribe',
      duration,
      text,
      segments: [
        { type: 'transcript.text.segment', id: 'seg_0', start: 0, end: duration, text, speaker: 'A' },
      ],
    });
    return;
  }
  if (format !== 'verbose_json') {
    sendJson(res, 200, { text, usage: { type: 'duration', seconds: Math.ceil(duration) } });
    return;
  }
  const granularities = form.getAll('timestamp_granularities[]').map(String);
  // The transcription's own spelling: lower case, no punctuation, as recognisers tend to write.
  const words: Word[] = timing.words.map((w) => ({
    word: w.word.toLowerCase().replace(/[^\p{L}\p{N}']/gu, ''),
    start: w.start,
    end: w.end,
  }));
  sendJson(res, 200, {
    task: 'transcribe',
    language: 'english',
    duration,
    text,
    ...(granularities.includes('word') ? { words } : {}),
    // OpenAI's default granularity is the segment: one, with the fields its description requires.
    ...(granularities.includes('segment') || granularities.length === 0
      ? {
          segments: [
            {
              id: 0,
              seek: 0,
              start: 0,
              end: duration,
              text,
              tokens: [],
              temperature: 0,
              avg_logprob: -0.2,
              compression_ratio: 1,
              no_speech_prob: 0,
            },
          ],
        }
      : {}),
    usage: { type: 'duration', seconds: Math.ceil(duration) },
  });
}
