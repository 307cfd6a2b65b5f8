// Builds the provider clients from configuration. Keys come from secrets; base URLs and models from params;
// locally the harness points both at the provider stand-in, so this is the only place that knows either.
import { csv, isEmulated, params, secrets } from '../config.js';
import {
  createLanguageModel,
  createMediaProvider,
  resolveMediaModels,
  type MediaKind,
} from '../providers/index.js';
import type { CostMeter } from './cost-meter.js';
import { PermanentJobError } from '../errors.js';

function required(value: string, name: string): string {
  if (!value) throw new PermanentJobError(`${name} is not configured on the server.`);
  return value;
}

/** The language model; `meter` is told what every answer cost. */
export function languageModel(meter?: CostMeter) {
  return createLanguageModel({
    baseURL: params.openaiBaseUrl.value(),
    apiKey: required(secrets.openaiApiKey.value(), 'OPENAI_API_KEY'),
    model: params.openaiModel.value(),
    ...(meter ? { onUsage: (model, tokens) => meter.tokens(model, tokens) } : {}),
  });
}

/** The webhook URL for one job, or undefined where no webhook can reach the functions (tasks then poll). */
export function webhookUrlFor(projectId: string, jobId: string): string | undefined {
  const base = params.publicFunctionsBaseUrl.value().replace(/\/+$/, '');
  if (!base) return undefined;
  const url = new URL(`${base}/replicateWebhook`);
  url.searchParams.set('project_id', projectId);
  url.searchParams.set('job_id', jobId);
  return url.toString();
}

function modelOverrides(): Partial<Record<MediaKind, string>> {
  const overrides: Partial<Record<MediaKind, string>> = {};
  const image = params.modelImage.value();
  const video = params.modelVideo.value();
  const audio = params.modelAudio.value();
  if (image) {
    overrides.mood_image = image;
    overrides.scene_image = image;
  }
  if (video) overrides.video = video;
  if (audio) overrides.audio = audio;
  return overrides;
}

/** The configured model of a kind of media (`owner/name` or `owner/name:version`): what prices look up. */
export function mediaModelLabel(kind: MediaKind): string {
  return resolveMediaModels(modelOverrides())[kind].label;
}

export function mediaProvider(webhookUrl?: string) {
  return createMediaProvider({
    baseURL: params.replicateBaseUrl.value(),
    apiKey: required(secrets.replicateApiToken.value(), 'REPLICATE_API_TOKEN'),
    models: modelOverrides(),
    ...(webhookUrl ? { webhookUrl } : {}),
  });
}

/** Where provider outputs may be fetched from, and whether plain http is tolerated (only under emulators). */
export function outputPolicy() {
  return { allowedHosts: csv(params.outputAllowedHosts.value()), requireHttps: !isEmulated() };
}
