// The SDK without a backend: every callable has its typed method, a bad request is refused before anything
// is sent (the emulator addresses below have nothing listening), errors carry typed codes, and asset URLs
// are cached until shortly before they expire.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { deleteApp, initializeApp } from 'firebase/app';
import { connectFunctionsEmulator, getFunctions } from 'firebase/functions';
import { getFirestore } from 'firebase/firestore';
import { CALLABLE_NAMES } from '@reelforge/schema';
import {
  AssetUrlCache,
  ReelforgeError,
  createReelforgeClient,
  isReelforgeError,
  toReelforgeError,
} from '../src/index.js';

const app = initializeApp({ apiKey: 'demo-key', projectId: 'demo-reelforge', appId: 'sdk-unit' }, 'sdk-unit');
const functions = getFunctions(app, 'us-central1');
// A closed port: a request that reached the network would fail with `unavailable`/`internal`, not the code
// the tests expect.
connectFunctionsEmulator(functions, '127.0.0.1', 9);
const rf = createReelforgeClient({ functions, firestore: getFirestore(app), timeoutMs: 2000 });

afterAll(() => deleteApp(app));

async function caught(promise: Promise<unknown>): Promise<ReelforgeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ReelforgeError);
  return err as ReelforgeError;
}

describe('@reelforge/client', () => {
  it('has one method per callable of the registry', () => {
    for (const name of CALLABLE_NAMES) expect(typeof rf[name]).toBe('function');
  });

  it('refuses a request outside its schema before sending, naming each field', async () => {
    const err = await caught(
      rf.createProject({
        name: '',
        creative_brief: {
          brand_name: 'B',
          product_description: 'P',
          target_audience: 'T',
          key_message: 'K',
          tone: '',
        },
        // @ts-expect-error -- an unknown key, refused as the backend refuses it
        colour: 'red',
      }),
    );
    expect(err.code).toBe('invalid-argument');
    expect(err.operation).toBe('createProject');
    expect(err.fieldErrors.map((d) => d.path).sort()).toEqual(['colour', 'creative_brief.tone', 'name']);
  });

  it('reports a backend that cannot be reached with a typed code', async () => {
    const err = await caught(rf.getProject({ project_id: 'abc' }));
    expect(['unavailable', 'internal', 'deadline-exceeded']).toContain(err.code);
    expect(err.operation).toBe('getProject');
  });

  it('maps Firebase error codes and keeps unknown ones as `unknown`', () => {
    const fromFunctions = toReelforgeError(
      { code: 'functions/failed-precondition', message: 'busy', details: 1 },
      'x',
    );
    expect([fromFunctions.code, fromFunctions.message, fromFunctions.details]).toEqual([
      'failed-precondition',
      'busy',
      1,
    ]);
    expect(toReelforgeError({ code: 'permission-denied', message: 'no' }, 'x').code).toBe(
      'permission-denied',
    );
    expect(toReelforgeError({ code: 'functions/teapot' }, 'x').code).toBe('unknown');
    expect(isReelforgeError(fromFunctions, 'failed-precondition')).toBe(true);
    expect(isReelforgeError(fromFunctions, 'not-found')).toBe(false);
  });
});

describe('AssetUrlCache', () => {
  const answer = (urls: Record<string, string>, expiresAt: number) => ({
    urls,
    expires_at: new Date(expiresAt).toISOString(),
  });

  it('answers from the cache until shortly before expiry, then asks again', async () => {
    let now = 1_000_000;
    const fetchUrls = vi.fn(async () => answer({ 'p/a.png': `https://u/a?t=${now}` }, now + 600_000));
    const cache = new AssetUrlCache(fetchUrls, { now: () => now, marginMs: 60_000 });
    const first = await cache.url('p1', 'p/a.png');
    now += 500_000; // still 100 s before expiry: cached
    expect(await cache.url('p1', 'p/a.png')).toBe(first);
    expect(fetchUrls).toHaveBeenCalledTimes(1);
    now += 50_000; // inside the margin: a fresh URL
    expect(await cache.url('p1', 'p/a.png')).not.toBe(first);
    expect(fetchUrls).toHaveBeenCalledTimes(2);
  });

  it('does not answer a new path from a request sent before that file existed', async () => {
    // Two clips finish a moment apart: the first one's refresh is in flight when the second one is asked for.
    const files: Record<string, string> = { 'p/a.png': 'A', 'p/1.mp4': 'ONE' };
    let release: (() => void) | undefined;
    const fetchUrls = vi.fn(async () => {
      const snapshot = { ...files };
      if (fetchUrls.mock.calls.length === 2) await new Promise<void>((r) => (release = r));
      return answer(snapshot, Date.now() + 600_000);
    });
    const cache = new AssetUrlCache(fetchUrls);
    await cache.urls('p1'); // cached: a.png and 1.mp4
    files['p/2.mp4'] = 'TWO-EARLY'; // stored after the cache's answer...
    const first = cache.url('p1', 'p/2.mp4'); // ...so this refreshes, and its request hangs a moment
    await vi.waitFor(() => expect(release).toBeDefined());
    files['p/3.mp4'] = 'THREE'; // stored while that request is in flight
    const second = cache.url('p1', 'p/3.mp4');
    release!();
    expect(await first).toBe('TWO-EARLY');
    expect(await second).toBe('THREE');
  });

  it('asks again for a path the cached answer does not know, and shares concurrent asks', async () => {
    let files: Record<string, string> = { 'p/a.png': 'A' };
    const fetchUrls = vi.fn(async () => answer({ ...files }, Date.now() + 600_000));
    const cache = new AssetUrlCache(fetchUrls);
    await Promise.all([cache.urls('p1'), cache.urls('p1'), cache.url('p1', 'p/a.png')]);
    expect(fetchUrls).toHaveBeenCalledTimes(1);
    files = { ...files, 'p/b.mp4': 'B' };
    expect(await cache.url('p1', 'p/b.mp4')).toBe('B');
    expect(await cache.url('p1', 'p/missing')).toBeUndefined();
    expect(fetchUrls).toHaveBeenCalledTimes(3);
    cache.invalidate('p1');
    await cache.urls('p1');
    expect(fetchUrls).toHaveBeenCalledTimes(4);
  });

  it('asks the backend for just the path it does not know, never for every file again', async () => {
    const files: Record<string, string> = { 'p/a.png': 'A', 'p/1.mp4': 'ONE' };
    const fetchUrls = vi.fn(async (_projectId: string, paths?: string[]) =>
      answer(
        Object.fromEntries(Object.entries(files).filter(([path]) => !paths || paths.includes(path))),
        Date.now() + 600_000,
      ),
    );
    const cache = new AssetUrlCache(fetchUrls);
    await cache.urls('p1');
    files['p/2.mp4'] = 'TWO';
    expect(await cache.url('p1', 'p/2.mp4')).toBe('TWO');
    expect(await cache.url('p1', 'p/a.png')).toBe('A'); // still cached from the first answer
    expect(fetchUrls.mock.calls).toEqual([
      ['p1', undefined],
      ['p1', ['p/2.mp4']],
    ]);
    expect(await cache.urls('p1')).toEqual({ 'p/a.png': 'A', 'p/1.mp4': 'ONE', 'p/2.mp4': 'TWO' });
  });
});
