// The provider layer's public surface. Nothing here reads params or secrets: the caller passes plain options.
export { ProviderError, classifyError, classifyPredictionFailure, isRetryableStatus } from './errors.js';
export type { FailedPrediction, ProviderErrorOptions, ProviderName } from './errors.js';

export { createLanguageModel, MAX_TOKENS, normaliseDurations } from './language-model.js';
export type {
  CompositionAnswer,
  CompositionRequest,
  LanguageModel,
  LanguageModelOptions,
  MoodAnswer,
  SceneTextAnswer,
  SceneTextRequest,
  StoryboardAnswer,
  StoryboardRequest,
  TranslationAnswer,
} from './language-model.js';

export { createMediaProvider, DEFAULT_WEBHOOK_EVENTS } from './media.js';
export type { MediaProvider, MediaProviderOptions, WaitOptions, WebhookEvent } from './media.js';

export {
  DEFAULT_MODEL_IDS,
  MEDIA_KINDS,
  parseModelId,
  promptWithPalette,
  resolveMediaModels,
} from './models.js';
export type { MediaInput, MediaKind, MediaModel, MediaModels } from './models.js';

export { isTerminal, parseProgress, toPredictionState, TERMINAL_STATUSES } from './prediction.js';
export type { PredictionState, PredictionStatus, RawPrediction } from './prediction.js';

export { COMPUTE_PRICE, computeCost, type ComputeWork } from './prices.js';
export { PRICES, mediaCost, priceOf, speechCost, tokenCost, transcriptionCost, usd } from './prices.js';
export type { MediaWork, Price, TokenUsage } from './prices.js';

export { signWebhook, verifyReplicateWebhook } from './webhook.js';
export type { HeaderBag, VerifyWebhookInput, VerifyWebhookResult } from './webhook.js';

export {
  DEFAULT_MAX_BYTES,
  MAX_AUDIO_BYTES,
  MAX_IMAGE_BYTES,
  MAX_JSON_BYTES,
  MAX_VIDEO_BYTES,
  isHostAllowed,
  openOutput,
} from './output-fetch.js';
export type { OpenedOutput, OpenOutputOptions, OutputKind } from './output-fetch.js';

export * as prompts from './prompts.js';
export type { ChatPrompt, MoodForPrompt, SceneForPrompt } from './prompts.js';

export { alignWords, createSpeechProvider, takesInstructions } from './speech.js';
export type { SpeechOptions, SpeechProvider, TimedWord, Transcript } from './speech.js';
