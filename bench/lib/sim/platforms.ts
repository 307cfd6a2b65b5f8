// The platforms the scale simulation runs on: the time the functions' own machinery takes around the providers.
import type { Platform } from './productions.js';

/**
 * Cloud Functions and Cloud Tasks deployed, warm: dispatch to handler ~0.2 s, a new instance ~2 s (the
 * cold-start benchmark's order), a Firestore write ~50 ms, startProduction ~0.5 s, a webhook to its resume
 * enqueued ~0.3 s. Assumptions of the order Google's and our own figures give, not a measurement of a deployment.
 */
export const DEPLOYED: Platform = {
  name: 'deployed',
  dispatchSeconds: 0.2,
  coldStartSeconds: 2,
  writeSeconds: 0.05,
  callableSeconds: 0.5,
  webhookSeconds: 0.3,
  workScale: 1,
};

/**
 * The emulators on this machine, from figures measured before this benchmark (OFFLINE.md: enqueue to task
 * start 0.75-1.75 s, so 1.2 s; bench 12: a warm callable ~30 ms but startProduction's reads and writes about
 * 0.5 s; emulator writes ~60 ms). The render's time is the one input taken from the calibration run itself (its
 * ledger entry): it is this machine's CPU on the stand-in's clips, which no published figure gives.
 */
export const EMULATOR: Omit<Platform, 'workScale'> = {
  name: 'emulator',
  dispatchSeconds: 1.2,
  coldStartSeconds: 0,
  writeSeconds: 0.06,
  callableSeconds: 0.5,
  webhookSeconds: 0.3,
};
