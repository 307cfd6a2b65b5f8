// Typed configuration. Keys are Firebase secrets; base URLs, models and tunables are params, so a deploy
// changes behaviour without a code change. Locally, functions/.env.local (written by the emulator harness)
// points the base URLs at the provider stand-in and functions/.secret.local holds the stand-in's keys, so
// the exact same client code runs against it.
import { defineInt, defineSecret, defineString } from 'firebase-functions/params';

export const REGION = 'us-central1';

export const secrets = {
  openaiApiKey: defineSecret('OPENAI_API_KEY'),
  replicateApiToken: defineSecret('REPLICATE_API_TOKEN'),
  /** Replicate's webhook signing secret (`whsec_...`), from GET /v1/webhooks/default/secret. */
  replicateWebhookSecret: defineSecret('REPLICATE_WEBHOOK_SECRET'),
};

export const params = {
  openaiBaseUrl: defineString('OPENAI_BASE_URL', { default: 'https://api.openai.com/v1' }),
  openaiModel: defineString('OPENAI_MODEL', { default: 'gpt-4.1-mini' }),
  /** Text-to-speech for voiceovers; `gpt-4o-mini-tts` takes the brief's tone as voice direction. */
  ttsModel: defineString('OPENAI_TTS_MODEL', { default: 'gpt-4o-mini-tts' }),
  ttsVoice: defineString('OPENAI_TTS_VOICE', { default: 'coral' }),
  /** Transcribes each voiceover for its word timings (captions); must return word timestamps. */
  transcriptionModel: defineString('OPENAI_TRANSCRIPTION_MODEL', { default: 'whisper-1' }),
  replicateBaseUrl: defineString('REPLICATE_BASE_URL', { default: 'https://api.replicate.com/v1' }),
  modelImage: defineString('REPLICATE_MODEL_IMAGE', { default: '' }),
  modelVideo: defineString('REPLICATE_MODEL_VIDEO', { default: '' }),
  modelAudio: defineString('REPLICATE_MODEL_AUDIO', { default: '' }),
  /** Comma-separated hosts (host or host:port) that output files may be fetched from. */
  outputAllowedHosts: defineString('OUTPUT_ALLOWED_HOSTS', {
    default: 'replicate.delivery,*.replicate.delivery',
  }),
  /**
   * Public base URL of the deployed functions (e.g. https://us-central1-PROJECT.cloudfunctions.net).
   * When set, Replicate predictions report back by webhook; when empty, tasks poll.
   */
  publicFunctionsBaseUrl: defineString('PUBLIC_FUNCTIONS_BASE_URL', { default: '' }),
  clerkJwksUrl: defineString('CLERK_JWKS_URL', { default: '' }),
  clerkIssuer: defineString('CLERK_ISSUER', { default: '' }),
  /** Comma-separated allow-list of the `azp` (authorized party) origins a Clerk token may come from. */
  clerkAuthorizedParties: defineString('CLERK_AUTHORIZED_PARTIES', { default: '' }),
  signedUrlTtlSeconds: defineInt('SIGNED_URL_TTL_SECONDS', { default: 900 }),
  /** Poll interval while a task waits on a prediction without webhooks. */
  pollIntervalMs: defineInt('PREDICTION_POLL_INTERVAL_MS', { default: 1500 }),
};

/** True inside the Firebase emulator suite (set by firebase-tools). */
export function isEmulated(): boolean {
  return process.env.FUNCTIONS_EMULATOR === 'true';
}

export function csv(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
