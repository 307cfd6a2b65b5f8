// The provider clients a job uses, built from the configuration its task function read at the boundary
// (config.ts, readProviderConfig). Locally the harness points the base URLs at the provider stand-in.
import type { ProviderConfig } from '../config.js';
import { PermanentJobError } from '../errors.js';
import {
  createLanguageModel,
  createMediaProvider,
  createSpeechProvider,
  resolveMediaModels,
  type MediaKind,
} from '../providers/index.js';
import type { CostMeter } from './cost-meter.js';

function required(value: string, name: string): string {
  if (!value) throw new PermanentJobError(`${name} is not configured on the server.`);
  return value;
}

/**
 * The language model; `meter` is told what every answer cost, and the ceiling of a call `signal` aborted
 * (the job was canceled under it): OpenAI bills that call too.
 */
export function languageModel(config: ProviderConfig, meter?: CostMeter, signal?: AbortSignal) {
  return createLanguageModel({
    baseURL: config.openai.baseURL,
    apiKey: required(config.openai.apiKey, 'OPENAI_API_KEY'),
    model: config.openai.model,
    ...(meter
      ? {
          onUsage: (model, tokens) => meter.tokens(model, tokens),
          onAborted: (model, ceiling) => meter.tokens(model, ceiling),
        }
      : {}),
    ...(signal ? { signal } : {}),
  });
}

export function speechProvider(config: ProviderConfig, signal?: AbortSignal) {
  return createSpeechProvider({
    baseURL: config.openai.baseURL,
    apiKey: required(config.openai.apiKey, 'OPENAI_API_KEY'),
    ...config.openai.speech,
    ...(signal ? { signal } : {}),
  });
}

/** The webhook URL for one job, or undefined where no webhook can reach the functions (tasks then poll). */
export function webhookUrlFor(config: ProviderConfig, projectId: string, jobId: string): string | undefined {
  const base = config.publicFunctionsBaseUrl.replace(/\/+$/, '');
  if (!base) return undefined;
  const url = new URL(`${base}/replicateWebhook`);
  url.searchParams.set('project_id', projectId);
  url.searchParams.set('job_id', jobId);
  return url.toString();
}

function modelOverrides({ image, productImage, video, audio }: ProviderConfig['replicate']['models']) {
  const overrides: Partial<Record<MediaKind, string>> = {};
  if (image) {
    overrides.mood_image = image;
    overrides.scene_image = image;
  }
  if (productImage) overrides.product_image = productImage;
  if (video) overrides.video = video;
  if (audio) overrides.audio = audio;
  return overrides;
}

/** The configured model of a kind of media (`owner/name` or `owner/name:version`): what prices look up. */
export function mediaModelLabel(models: ProviderConfig['replicate']['models'], kind: MediaKind): string {
  return resolveMediaModels(modelOverrides(models))[kind].label;
}

export function mediaProvider(config: ProviderConfig, webhookUrl?: string) {
  return createMediaProvider({
    baseURL: config.replicate.baseURL,
    apiKey: required(config.replicate.apiKey, 'REPLICATE_API_TOKEN'),
    models: modelOverrides(config.replicate.models),
    ...(webhookUrl ? { webhookUrl } : {}),
  });
}
