// OpenAI's audio routes, played with real offline speech (speech.ts):
//   POST /openai/v1/audio/speech          JSON { model, input, voice, instructions?, response_format?, speed? }
//                                         -> the spoken line (wav or pcm; mp3 through ffmpeg)
//   POST /openai/v1/audio/transcriptions  multipart { file, model, response_format, timestamp_granularities[] }
//                                         -> verbose_json with word timestamps
// The transcription knows the words' times because the stand-in made the speech: they travel inside the
// WAV it returned. Audio it did not make is refused with a 400 that says so.
import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFfmpeg } from './ffmpeg.js';
import { HttpError, readJson, sendJson } from './http.js';
import { FAULT_ANSWERS } from './openai.js';
import type { RouteContext } from './routes.js';
import { applyHttpFaults } from './routes.js';
import { speak, timingsOf } from './speech.js';

const MAX_INPUT_CHARS = 4096;
const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

interface SpeechRequest {
  model?: unknown;
  input?: unknown;
  voice?: unknown;
  instructions?: unknown;
  response_format?: unknown;
  speed?: unknown;
}

export async function speechRoute(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RouteContext,
): Promise<void> {
  const body = (await readJson(req)) as SpeechRequest;
  if (typeof body.model !== 'string' || typeof body.voice !== 'string' || typeof body.input !== 'string') {
    throw new HttpError(400, 'model, input and voice are required');
  }
  if (body.input.trim() === '' || body.input.length > MAX_INPUT_CHARS) {
    throw new HttpError(400, `input must be 1 to ${MAX_INPUT_CHARS} characters`);
  }
  const format = typeof body.response_format === 'string' ? body.response_format : 'mp3';
  if (!['wav', 'pcm', 'mp3'].includes(format)) {
    throw new HttpError(400, `the stand-in speaks wav, pcm and mp3, not ${format}`);
  }
  const faults = ctx.faults.take({ target: 'openai', kind: 'speech', model: body.model, text: body.input });
  if (await applyHttpFaults(faults, res, ctx, FAULT_ANSWERS)) return;
  ctx.stats.speech += 1;

  const speech = await speak(body.input, {
    ...(typeof body.speed === 'number' ? { speed: body.speed } : {}),
  });
  let bytes: Buffer = speech.wav;
  let type = 'audio/wav';
  if (format === 'pcm') {
    // OpenAI's pcm is raw 24 kHz 16-bit mono; the stand-in's is at eSpeak's rate (said in a header).
    bytes = speech.wav.subarray(speech.wav.indexOf('data') + 8);
    type = 'audio/pcm';
  } else if (format === 'mp3') {
    const base = join(tmpdir(), `standin-speech-${randomUUID()}`);
    try {
      await writeFile(`${base}.wav`, speech.wav);
      await runFfmpeg(['-i', `${base}.wav`, '-c:a', 'libmp3lame', '-b:a', '96k', `${base}.mp3`]);
      bytes = await readFile(`${base}.mp3`);
      type = 'audio/mpeg';
    } finally {
      await rm(`${base}.wav`, { force: true });
      await rm(`${base}.mp3`, { force: true });
    }
  }
  res.writeHead(200, {
    'content-type': type,
    'content-length': String(bytes.length),
    'x-standin-sample-rate': String(speech.sampleRate),
  });
  res.end(bytes);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_UPLOAD_BYTES) throw new HttpError(413, 'file too large (25 MB at most)');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function transcriptionRoute(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RouteContext,
): Promise<void> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) throw new HttpError(400, 'expected multipart/form-data');
  const form = await new Request('http://standin/', {
    method: 'POST',
    headers: { 'content-type': type },
    body: await readBody(req),
  }).formData();
  const file = form.get('file');
  const model = form.get('model');
  if (!(file instanceof Blob) || typeof model !== 'string')
    throw new HttpError(400, 'file and model are required');
  const faults = ctx.faults.take({ target: 'openai', kind: 'transcription', model, text: '' });
  if (await applyHttpFaults(faults, res, ctx, FAULT_ANSWERS)) return;
  ctx.stats.transcriptions += 1;

  const timing = timingsOf(new Uint8Array(await file.arrayBuffer()));
  if (!timing) {
    throw new HttpError(
      400,
      'the stand-in can only transcribe speech it made itself (a WAV from /audio/speech)',
    );
  }
  const text = timing.words.map((w) => w.word).join(' ');
  const format = form.get('response_format') ?? 'json';
  if (format !== 'verbose_json') {
    sendJson(res, 200, { text });
    return;
  }
  const granularities = form.getAll('timestamp_granularities[]');
  // The transcription's own spelling: lower case, no punctuation, as recognisers tend to write.
  const words = timing.words.map((w) => ({
    word: w.word.toLowerCase().replace(/[^\p{L}\p{N}']/gu, ''),
    start: w.start,
    end: w.end,
  }));
  sendJson(res, 200, {
    task: 'transcribe',
    language: 'english',
    duration: Math.round(timing.durationSeconds * 1000) / 1000,
    text,
    ...(granularities.includes('word') ? { words } : {}),
    segments:
      granularities.includes('segment') || granularities.length === 0
        ? [{ id: 0, start: 0, end: timing.durationSeconds, text }]
        : undefined,
  });
}
