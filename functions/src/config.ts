// Typed configuration. Keys are Firebase secrets; base URLs, models and tunables are params, so a deploy
// changes behaviour without a code change. Locally, functions/.env.local (written by the emulator harness)
// points the base URLs at the provider stand-in and functions/.secret.local holds the stand-in's keys, so
// the exact same client code runs against it.
import { defineBoolean, defineInt, defineSecret, defineString } from 'firebase-functions/params';

export const REGION = 'us-central1';

export const secrets = {
  openaiApiKey: defineSecret('OPENAI_API_KEY'),
  replicateApiToken: defineSecret('REPLICATE_API_TOKEN'),
  /** Replicate's webhook signing secret (`whsec_...`), from GET /v1/webhooks/default/secret. */
  replicateWebhookSecret: defineSecret('REPLICATE_WEBHOOK_SECRET'),
};

/** The per-user limits' defaults (README "Limits and cost"). */
export const LIMIT_DEFAULTS = {
  maxActiveJobs: 10,
  queueShareDivisor: 3,
  maxProjects: 100,
  dailyBudgetUsd: 20,
  globalDailyBudgetUsd: 500,
} as const;

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
  /**
   * Keyframes of scenes that show the product, painted with the product image as a reference: a model that
   * takes one (providers/models.ts maps black-forest-labs/flux-kontext-pro, the default). Not overridden by
   * REPLICATE_MODEL_IMAGE, whose models paint from text alone.
   */
  modelProductImage: defineString('REPLICATE_MODEL_PRODUCT_IMAGE', { default: '' }),
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
  /** Unfinished jobs one user may have at once, across all their projects (queued or processing). */
  userMaxActiveJobs: defineInt('USER_MAX_ACTIVE_JOBS', { default: LIMIT_DEFAULTS.maxActiveJobs }),
  /** A user may hold at most 1/N of a job queue's concurrent dispatches (jobs/queue-shares.ts); 1 turns it off. */
  userQueueShareDivisor: defineInt('USER_QUEUE_SHARE_DIVISOR', {
    default: LIMIT_DEFAULTS.queueShareDivisor,
  }),
  /** Projects one user may own. */
  userMaxProjects: defineInt('USER_MAX_PROJECTS', { default: LIMIT_DEFAULTS.maxProjects }),
  /**
   * US dollars one user may spend per UTC day, counted from each job's estimated cost at admission and its
   * actual cost once it ends (a decimal, e.g. "20" or "7.50"; Firebase params have no float type).
   */
  userDailyBudgetUsd: defineString('USER_DAILY_BUDGET_USD', {
    default: String(LIMIT_DEFAULTS.dailyBudgetUsd),
    input: { text: { validationRegex: '^\\d+(\\.\\d+)?$', validationErrorMessage: 'a number of dollars' } },
  }),
  /**
   * US dollars all users together may be admitted for per UTC day (the estimates of every job admitted
   * today): past it, new paid work is refused for everyone until midnight UTC. A ceiling on what making
   * many accounts can cost, whatever each account's own budget.
   */
  globalDailyBudgetUsd: defineString('GLOBAL_DAILY_BUDGET_USD', {
    default: String(LIMIT_DEFAULTS.globalDailyBudgetUsd),
    input: { text: { validationRegex: '^\\d+(\\.\\d+)?$', validationErrorMessage: 'a number of dollars' } },
  }),
  /**
   * When true, callables refuse requests without a valid App Check token (register the apps with App Check
   * and roll the client out first). Off by default so existing clients keep working.
   */
  enforceAppCheck: defineBoolean('APP_CHECK_ENFORCED', { default: false }),
  /** Instances each callable may scale to: a ceiling on what one burst of traffic can cost. */
  callableMaxInstances: defineInt('CALLABLE_MAX_INSTANCES', { default: 100 }),
};

/**
 * The keys of every provider. Bound by every function that can reach a provider: a job's own work (each job
 * type binds the keys its handler uses, jobs/registry.ts) and stopping any job's work (cancelJob,
 * deleteProject), which cancels predictions. Unbound, a secret reads as empty in production.
 */
export const PROVIDER_SECRETS = [secrets.openaiApiKey, secrets.replicateApiToken];

/** What the provider clients are built from; read at the function boundary, inside a bound function. */
export interface ProviderConfig {
  openai: {
    baseURL: string;
    apiKey: string;
    model: string;
    /** Voiceovers: text-to-speech model and voice, and the transcription that times the captions. */
    speech: { model: string; voice: string; transcriptionModel: string };
  };
  replicate: {
    baseURL: string;
    apiKey: string;
    /** Model overrides per media kind; empty means the default. */
    models: { image: string; productImage: string; video: string; audio: string };
  };
  /** Hosts that output files may be fetched from, and whether plain http is tolerated (emulators only). */
  output: { allowedHosts: string[]; requireHttps: boolean };
  /** Public base URL of the functions; empty where no webhook can reach them (tasks then poll). */
  publicFunctionsBaseUrl: string;
}

export function readProviderConfig(): ProviderConfig {
  return {
    openai: {
      baseURL: params.openaiBaseUrl.value(),
      apiKey: secrets.openaiApiKey.value(),
      model: params.openaiModel.value(),
      speech: {
        model: params.ttsModel.value(),
        voice: params.ttsVoice.value(),
        transcriptionModel: params.transcriptionModel.value(),
      },
    },
    replicate: {
      baseURL: params.replicateBaseUrl.value(),
      apiKey: secrets.replicateApiToken.value(),
      models: readMediaModels(),
    },
    output: { allowedHosts: csv(params.outputAllowedHosts.value()), requireHttps: !isEmulated() },
    publicFunctionsBaseUrl: params.publicFunctionsBaseUrl.value(),
  };
}

/** The media model overrides (params only, no secret): what jobs run and what cost estimates price. */
export function readMediaModels(): ProviderConfig['replicate']['models'] {
  return {
    image: params.modelImage.value(),
    productImage: params.modelProductImage.value(),
    video: params.modelVideo.value(),
    audio: params.modelAudio.value(),
  };
}

/** Everything a job handler is configured with, read once per task execution. */
export interface JobConfig {
  providers: ProviderConfig;
  pollIntervalMs: number;
  signedUrlTtlSeconds: number;
}

export function readJobConfig(): JobConfig {
  return {
    providers: readProviderConfig(),
    pollIntervalMs: params.pollIntervalMs.value(),
    signedUrlTtlSeconds: params.signedUrlTtlSeconds.value(),
  };
}

/**
 * A param's value, or `fallback` where nothing resolved it. The deploy and the functions emulator always set
 * every param (defaults included); code loaded without them (tests and benchmarks that run the bundle
 * in-process) would otherwise read an unset int as 0, and a limit of 0 refuses everything.
 */
function valueOr<T>(param: { name: string; value(): T }, fallback: T): T {
  return process.env[param.name] === undefined ? fallback : param.value();
}

export function userMaxActiveJobs(): number {
  return valueOr(params.userMaxActiveJobs, LIMIT_DEFAULTS.maxActiveJobs);
}

export function userQueueShareDivisor(): number {
  return Math.max(1, valueOr(params.userQueueShareDivisor, LIMIT_DEFAULTS.queueShareDivisor));
}

export function userMaxProjects(): number {
  return valueOr(params.userMaxProjects, LIMIT_DEFAULTS.maxProjects);
}

/** A dollar param as a number; a value that is not one is a deploy mistake, refused loudly. */
function dollarsParam(param: { name: string; value(): string }, fallback: number): number {
  const raw = valueOr(param, String(fallback));
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${param.name} is not a number: "${raw}"`);
  return value;
}

export function dailyBudgetUsd(): number {
  return dollarsParam(params.userDailyBudgetUsd, LIMIT_DEFAULTS.dailyBudgetUsd);
}

export function globalDailyBudgetUsd(): number {
  return dollarsParam(params.globalDailyBudgetUsd, LIMIT_DEFAULTS.globalDailyBudgetUsd);
}

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
