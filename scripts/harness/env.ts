// The one place that names the local emulator endpoints. The harness, the functions' .env.local and every
// test read these, so a port changes here and in firebase.json, nowhere else.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const PROJECT_ID = 'demo-reelforge';
export const HOST = '127.0.0.1';
export const REGION = 'us-central1';

/** Fixed ports; firebase.json names the same ones for the emulators firebase-tools starts. */
export const PORTS = {
  firestore: 8080,
  storage: 9199,
  standin: 9700,
  functions: 5001,
  auth: 9099,
  tasks: 9499,
  /** Firebase Hosting emulator serving the studio (web/dist). */
  hosting: 5000,
  hub: 4400,
  logging: 4500,
  // Not in firebase.json, yet firebase-tools starts an Eventarc emulator with the functions on its default.
  eventarc: 9299,
} as const;

export type PortName = keyof typeof PORTS;

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LOG_DIR = join(ROOT, '.emulators', 'logs');

export const FIRESTORE_HOST = `${HOST}:${PORTS.firestore}`;
export const STORAGE_HOST = `${HOST}:${PORTS.storage}`;
export const AUTH_HOST = `${HOST}:${PORTS.auth}`;
export const TASKS_HOST = `${HOST}:${PORTS.tasks}`;
export const HUB_URL = `http://${HOST}:${PORTS.hub}`;
export const STORAGE_URL = `http://${STORAGE_HOST}`;
export const STANDIN_URL = `http://${HOST}:${PORTS.standin}`;
/** The studio, as the Hosting emulator serves it. */
export const STUDIO_URL = `http://${HOST}:${PORTS.hosting}`;
export const FUNCTIONS_ORIGIN = `http://${HOST}:${PORTS.functions}`;
/** Base of every HTTPS/callable function: `${FUNCTIONS_BASE_URL}/<name>`. */
export const FUNCTIONS_BASE_URL = `${FUNCTIONS_ORIGIN}/${PROJECT_ID}/${REGION}`;
/** The bucket firebase-tools puts in FIREBASE_CONFIG for a demo project. */
export const DEFAULT_BUCKET = `${PROJECT_ID}.appspot.com`;

/**
 * Keys the functions use against the provider stand-in (functions/.secret.local). They are not secrets:
 * the stand-in is local. It receives the same values in its environment so the two always agree.
 */
export const STANDIN_SECRETS = {
  OPENAI_API_KEY: 'sk-standin-local',
  REPLICATE_API_TOKEN: 'r8_standin_local',
  // Replicate's format: `whsec_` + base64 key. Fixed so a restarted stand-in still verifies.
  REPLICATE_WEBHOOK_SECRET: `whsec_${Buffer.from('reelforge-local-webhook-secret!!').toString('base64')}`,
} as const;

/**
 * A local stand-in for a Clerk instance: the e2e suite (test/e2e/clerk.test.ts) serves a JWKS on this port
 * and signs its own tokens; the functions verify against it exactly as against Clerk.
 */
export const LOCAL_CLERK = {
  jwksPort: 9710,
  jwksUrl: `http://${HOST}:9710/.well-known/jwks.json`,
  issuer: 'https://clerk.reelforge.test',
  authorizedParties: ['http://localhost:5173', 'https://app.reelforge.test'],
} as const;

/**
 * functions/.env.local: what the functions emulator adds to each function's environment. Keys with the
 * FIREBASE_ prefix are reserved there (firebase-tools refuses to load the file), so
 * FIREBASE_STORAGE_EMULATOR_HOST travels in the emulator process's own environment instead (see
 * functionsProcessEnv), which the function workers inherit.
 */
export function functionsEnvLocal(): Record<string, string> {
  return {
    FIRESTORE_EMULATOR_HOST: FIRESTORE_HOST,
    STORAGE_EMULATOR_HOST: STORAGE_URL,
    OPENAI_BASE_URL: `${STANDIN_URL}/openai/v1`,
    REPLICATE_BASE_URL: `${STANDIN_URL}/replicate/v1`,
    OUTPUT_ALLOWED_HOSTS: `${HOST}:${PORTS.standin}`,
    PUBLIC_FUNCTIONS_BASE_URL: FUNCTIONS_BASE_URL,
    CLERK_JWKS_URL: LOCAL_CLERK.jwksUrl,
    CLERK_ISSUER: LOCAL_CLERK.issuer,
    CLERK_AUTHORIZED_PARTIES: LOCAL_CLERK.authorizedParties.join(','),
  };
}

/** Environment of the `firebase emulators:start` process (its function workers inherit it). */
export function functionsProcessEnv(): Record<string, string> {
  return {
    FIRESTORE_EMULATOR_HOST: FIRESTORE_HOST,
    STORAGE_EMULATOR_HOST: STORAGE_URL,
    FIREBASE_STORAGE_EMULATOR_HOST: STORAGE_HOST,
  };
}

export type ServiceName = 'firestore' | 'storage' | 'standin' | 'functions';
export const ALL_SERVICES: readonly ServiceName[] = ['firestore', 'storage', 'standin', 'functions'];

/** The ports each service listens on; `functions` is firebase-tools with its hub, logging, auth, tasks
 * and the Hosting emulator that serves the studio. */
export const SERVICE_PORTS: Record<ServiceName, readonly number[]> = {
  firestore: [PORTS.firestore],
  storage: [PORTS.storage],
  standin: [PORTS.standin],
  functions: [
    PORTS.functions,
    PORTS.auth,
    PORTS.tasks,
    PORTS.hosting,
    PORTS.hub,
    PORTS.logging,
    PORTS.eventarc,
  ],
};

/** Set (to the reason) for the command when Firestore cannot run here; suites then skip loudly. */
export const NO_FIRESTORE_ENV = 'REELFORGE_NO_FIRESTORE';
export const NO_FIRESTORE_REASON_ENV = 'REELFORGE_NO_FIRESTORE_REASON';
/** Comma-separated services the harness brought up for the command. */
export const EMULATORS_ENV = 'REELFORGE_EMULATORS';

/** Environment handed to the command run under the harness, for the services that are up. */
export function commandEnv(up: readonly ServiceName[]): Record<string, string> {
  const env: Record<string, string> = { GCLOUD_PROJECT: PROJECT_ID, [EMULATORS_ENV]: up.join(',') };
  if (up.includes('firestore')) env.FIRESTORE_EMULATOR_HOST = FIRESTORE_HOST;
  if (up.includes('storage')) {
    env.STORAGE_EMULATOR_HOST = STORAGE_URL;
    env.FIREBASE_STORAGE_EMULATOR_HOST = STORAGE_HOST;
  }
  if (up.includes('standin')) env.STANDIN_URL = STANDIN_URL;
  if (up.includes('functions')) {
    env.FIREBASE_AUTH_EMULATOR_HOST = AUTH_HOST;
    env.CLOUD_TASKS_EMULATOR_HOST = TASKS_HOST;
    env.FUNCTIONS_EMULATOR_ORIGIN = FUNCTIONS_ORIGIN;
    env.STUDIO_URL = STUDIO_URL;
  }
  return env;
}
