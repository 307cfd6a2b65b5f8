// The output guard against a scripted server: allow-list (and redirects re-checked), https requirement,
// content types, size caps by header and by streamed bytes, expiry and retryable statuses, stalls, and a
// consumer that does not read holding the download back (nothing is buffered whole).
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../functions/src/providers/errors.js';
import { isHostAllowed, MAX_VIDEO_BYTES, openOutput } from '../../functions/src/providers/output-fetch.js';
import type { OpenOutputOptions } from '../../functions/src/providers/output-fetch.js';
import { closedPort, rejection } from './helpers.js';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(2_000, 1)]);
let main: Server;
let other: Server;
let base: string;
let otherBase: string;
/** Bytes the /endless route managed to write (it honours backpressure). */
let endlessWritten = 0;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

function writeEndless(res: ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, 2);
  res.writeHead(200, { 'content-type': 'video/mp4' });
  const pump = (): void => {
    while (endlessWritten < 256 * 1024 * 1024) {
      endlessWritten += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

beforeAll(async () => {
  main = createServer((req, res) => {
    const path = req.url ?? '/';
    const send = (status: number, headers: Record<string, string>, body?: Buffer | string): void => {
      res.writeHead(status, headers);
      res.end(body);
    };
    if (path === '/ok.png') send(200, { 'content-type': 'image/png; charset=binary' }, PNG);
    else if (path === '/page.png') send(200, { 'content-type': 'text/html' }, '<html></html>');
    else if (path === '/octet.mp4')
      send(200, { 'content-type': 'application/octet-stream' }, Buffer.alloc(100));
    else if (path === '/octet.bin')
      send(200, { 'content-type': 'application/octet-stream' }, Buffer.alloc(100));
    else if (path === '/declared-big.mp4') {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': '5000' });
      res.end(Buffer.alloc(5000));
    } else if (path === '/chunked-big.mp4') {
      // No Content-Length: only counting the streamed bytes can catch it.
      res.writeHead(200, { 'content-type': 'video/mp4' });
      for (let i = 0; i < 10; i += 1) res.write(Buffer.alloc(1000));
      res.end();
    } else if (path === '/to-ok') send(302, { location: '/ok.png' });
    else if (path === '/to-other') send(302, { location: `${otherBase}/ok.png` });
    else if (path === '/loop') send(302, { location: '/loop' });
    else if (path === '/gone') send(410, {});
    else if (path === '/missing.png') send(404, {});
    else if (path === '/busy') send(503, {});
    else if (path === '/forbidden') send(403, {});
    else if (path === '/stall.mp4') {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      res.write(Buffer.alloc(100));
    } else if (path === '/eight.mp4') {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(8 * 1024 * 1024) });
      res.end(Buffer.alloc(8 * 1024 * 1024, 3));
    } else if (path === '/endless.mp4') writeEndless(res);
    else send(404, {});
  });
  other = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(PNG);
  });
  base = await listen(main);
  otherBase = await listen(other);
});
afterAll(async () => {
  for (const server of [main, other]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function options(kind: OpenOutputOptions['kind'], extra: Partial<OpenOutputOptions> = {}): OpenOutputOptions {
  return { kind, allowedHosts: [new URL(base).host], requireHttps: false, ...extra };
}

async function drain(stream: NodeJS.ReadableStream): Promise<number> {
  let bytes = 0;
  await pipeline(
    stream,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        callback();
      },
    }),
  );
  return bytes;
}

async function refusal(url: string, opts: OpenOutputOptions): Promise<ProviderError> {
  const err = await rejection(openOutput(url, opts));
  expect(err).toBeInstanceOf(ProviderError);
  expect((err as ProviderError).provider).toBe('output');
  return err as ProviderError;
}

describe('openOutput', () => {
  it('streams an allowed image and reports its type', async () => {
    const opened = await openOutput(`${base}/ok.png`, options('image'));
    expect(opened.contentType).toBe('image/png');
    expect(await drain(opened.stream)).toBe(PNG.length);
  });

  it('refuses a host that is not allowed, before any request', async () => {
    const err = await refusal(`${otherBase}/ok.png`, options('image'));
    expect(err).toMatchObject({ retryable: false, code: 'host_not_allowed' });
  });

  it('refuses plain http when https is required', async () => {
    const err = await refusal(`${base}/ok.png`, options('image', { requireHttps: true }));
    expect(err).toMatchObject({ retryable: false, code: 'https_required' });
  });

  it('follows a redirect on the same host, refuses one to a disallowed host, and stops loops', async () => {
    const opened = await openOutput(`${base}/to-ok`, options('image'));
    expect(opened.finalUrl).toBe(`${base}/ok.png`);
    opened.stream.destroy();
    expect(await refusal(`${base}/to-other`, options('image'))).toMatchObject({ code: 'host_not_allowed' });
    expect(await refusal(`${base}/loop`, options('image'))).toMatchObject({ code: 'too_many_redirects' });
  });

  it('checks the content type; octet-stream only with a matching extension', async () => {
    expect(await refusal(`${base}/page.png`, options('image'))).toMatchObject({ code: 'bad_content_type' });
    expect(await refusal(`${base}/ok.png`, options('video'))).toMatchObject({ code: 'bad_content_type' });
    const octet = await openOutput(`${base}/octet.mp4`, options('video'));
    expect(octet.contentType).toBe('video/mp4');
    octet.stream.destroy();
    expect(await refusal(`${base}/octet.bin`, options('video'))).toMatchObject({ code: 'bad_content_type' });
  });

  it('refuses an oversize file by its Content-Length, and by its streamed bytes', async () => {
    expect(await refusal(`${base}/declared-big.mp4`, options('video', { maxBytes: 1000 }))).toMatchObject({
      retryable: false,
      code: 'too_large',
    });
    const opened = await openOutput(`${base}/chunked-big.mp4`, options('video', { maxBytes: 2500 }));
    const err = await rejection(drain(opened.stream));
    expect(err).toMatchObject({ code: 'too_large', retryable: false });
  });

  it('maps statuses: 404/410 expired (permanent), 5xx retryable, other 4xx permanent', async () => {
    for (const path of ['/gone', '/missing.png']) {
      const err = await refusal(`${base}${path}`, options('image'));
      expect(err).toMatchObject({ retryable: false, code: 'expired' });
      expect(err.message).toContain("the provider's output URL has expired");
    }
    expect(await refusal(`${base}/busy`, options('image'))).toMatchObject({ retryable: true, status: 503 });
    expect(await refusal(`${base}/forbidden`, options('image'))).toMatchObject({
      retryable: false,
      status: 403,
    });
  });

  it('network failures and stalls are retryable', async () => {
    const down = `127.0.0.1:${await closedPort()}`;
    expect(await refusal(`http://${down}/x.png`, options('image', { allowedHosts: [down] }))).toMatchObject({
      retryable: true,
      code: 'ECONNREFUSED',
    });
    const opened = await openOutput(`${base}/stall.mp4`, options('video', { timeoutMs: 300 }));
    const err = await rejection(drain(opened.stream));
    expect(err).toMatchObject({ retryable: true, code: 'timeout' });
  });

  it('a slow consumer is not a stalled download', async () => {
    const opened = await openOutput(`${base}/eight.mp4`, options('video', { timeoutMs: 150 }));
    expect(opened.contentLength).toBe(8 * 1024 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await drain(opened.stream)).toBe(8 * 1024 * 1024);
  });

  it('does not buffer: an unread stream holds the sender back', async () => {
    endlessWritten = 0;
    const opened = await openOutput(`${base}/endless.mp4`, options('video'));
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Socket buffers and one high-water mark, not the 256 MiB the server would send.
    expect(endlessWritten).toBeLessThan(16 * 1024 * 1024);
    opened.stream.destroy();
  });

  it('has the documented default caps and host rules', () => {
    expect(MAX_VIDEO_BYTES).toBe(200 * 1024 * 1024);
    const url = (s: string): URL => new URL(s);
    expect(isHostAllowed(url('https://replicate.delivery/a.png'), ['replicate.delivery'])).toBe(true);
    expect(isHostAllowed(url('https://pbxt.replicate.delivery/a.png'), ['*.replicate.delivery'])).toBe(true);
    expect(isHostAllowed(url('https://replicate.delivery.evil.com/a.png'), ['*.replicate.delivery'])).toBe(
      false,
    );
    expect(isHostAllowed(url('https://evilreplicate.delivery/a.png'), ['*.replicate.delivery'])).toBe(false);
    expect(isHostAllowed(url('http://127.0.0.1:9700/f'), ['127.0.0.1:9700'])).toBe(true);
    expect(isHostAllowed(url('http://127.0.0.1:9701/f'), ['127.0.0.1:9700'])).toBe(false);
    expect(isHostAllowed(url('http://127.0.0.1:9701/f'), ['127.0.0.1'])).toBe(false);
  });
});
