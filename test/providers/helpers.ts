// Shared by the provider tests: an in-process stand-in on a random port, a webhook receiver, ffprobe, and
// a download that goes through the real output guard.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { afterAll, beforeAll } from 'vitest';
import type { CreativeBrief } from '@reelforge/schema';
import { openOutput } from '../../functions/src/providers/output-fetch.js';
import type { OutputKind } from '../../functions/src/providers/output-fetch.js';
import { startStandin } from '../../scripts/standin/server.js';
import type { Standin, StandinOptions } from '../../scripts/standin/server.js';

export const API_KEY = 'test-key';

export function standin(options: StandinOptions = {}): Promise<Standin> {
  return startStandin({ port: 0, predictionSeconds: 0.3, ...options });
}

export function hostOf(url: string): string {
  return new URL(url).host;
}

export const BRIEF: CreativeBrief = {
  brand_name: 'Lumen Bottle',
  product_description: 'An insulated steel water bottle with a built-in UV cleaning cap',
  target_audience: 'Urban commuters aged 25-40',
  key_message: 'Clean water anywhere, zero effort',
  tone: 'Bright and confident',
};

export const MOOD = {
  name: 'Clean Studio Minimal',
  description: 'Calm precision that lets the product speak for itself.',
  visual_style: 'Seamless studio backdrop, hard key light, generous negative space.',
  color_palette: ['#e63946', '#2a9d8f', '#264653'],
  mood_keywords: ['minimal', 'precise', 'airy', 'modern', 'crisp'],
};

export interface Probe {
  duration: number;
  streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
  formatName: string;
}

const run = promisify(execFile);

export async function ffprobe(path: string): Promise<Probe> {
  const { stdout } = await run(ffprobeInstaller.path, [
    '-v',
    'error',
    '-show_entries',
    'format=duration,format_name:stream=codec_type,codec_name,width,height',
    '-of',
    'json',
    path,
  ]);
  const parsed = JSON.parse(stdout) as {
    format: { duration?: string; format_name: string };
    streams: Probe['streams'];
  };
  return {
    duration: Number(parsed.format.duration ?? 0),
    streams: parsed.streams,
    formatName: parsed.format.format_name,
  };
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'reelforge-provider-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Downloads through the guarded fetch (as the jobs will) into `dir/name`; returns the path. */
export async function download(
  url: string,
  kind: OutputKind,
  dir: string,
  name: string,
): Promise<{ path: string; contentType: string }> {
  const opened = await openOutput(url, { kind, allowedHosts: [hostOf(url)], requireHttps: false });
  const path = join(dir, name);
  await pipeline(opened.stream, createWriteStream(path));
  return { path, contentType: opened.contentType };
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  status: string;
}

/** A webhook receiver; `respond` decides each delivery's HTTP status (default 200). */
export async function webhookReceiver(respond: (hook: ReceivedWebhook) => number = () => 200): Promise<{
  url: string;
  received: ReceivedWebhook[];
  close: () => Promise<void>;
  waitFor: (predicate: (hooks: ReceivedWebhook[]) => boolean, timeoutMs?: number) => Promise<void>;
}> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      let status = '';
      try {
        status = String((JSON.parse(rawBody.toString()) as { status?: unknown }).status);
      } catch {
        status = 'unparsable';
      }
      const hook = { headers: req.headers, rawBody, status };
      received.push(hook);
      res.writeHead(respond(hook)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/replicate`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    waitFor: async (predicate, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline)
          throw new Error(`webhooks not received in time: ${received.map((r) => r.status).join(',')}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}

/** A local port nothing listens on (just released), for real ECONNREFUSED failures. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Waits for `promise` to reject and returns the reason (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

/** A stand-in and a scratch folder for one test file: started before its tests, both gone after them. */
export function standinWithScratch(): { readonly server: Standin; readonly dir: string } {
  const env = {} as { server: Standin; dir: string; cleanup?: () => Promise<void> };
  beforeAll(async () => {
    env.server = await standin();
    Object.assign(env, await tempDir());
  });
  afterAll(async () => {
    await env.server?.close();
    await env.cleanup?.();
  });
  return env;
}
