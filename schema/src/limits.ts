// Every numeric bound the backend enforces lives here, so callables, prompts, rules tests and clients agree.
export const LIMITS = {
  MAX_SCENES: 20,
  /** Takes kept per scene and asset: past it the oldest neither chosen nor pinned is dropped. */
  TAKES_PER_ASSET: 10,
  /** A take's id is its job's (a UUID, 36 characters): bounded tighter than ids in general, as the scenes
   * name up to ten of them per asset. */
  TAKE_ID_MAX: 40,
  DEFAULT_SCENE_COUNT: 6,
  MIN_SCENE_COUNT: 1,
  /** Seconds; any number in range is accepted (video models take whole or half seconds). */
  SCENE_DURATION_MIN: 1,
  SCENE_DURATION_MAX: 10,
  DEFAULT_TARGET_DURATION: 30,
  TARGET_DURATION_MIN: 5,
  TARGET_DURATION_MAX: 120,
  MOODS_PER_PROJECT: 3,
  MAX_IMAGES_PER_MOOD: 4,
  /** Paths one getAssetUrls call may name (a project holds far fewer files than this). */
  ASSET_URL_PATHS_MAX: 200,
  PALETTE_MIN: 3,
  PALETTE_MAX: 5,
  KEYWORDS_MIN: 5,
  KEYWORDS_MAX: 7,
  NAME_MAX: 120,
  TITLE_MAX: 120,
  DESCRIPTION_MAX: 2000,
  BRIEF_FIELD_MAX: 1000,
  NOTES_MAX: 2000,
  SCENE_TEXT_MAX: 1000,
  COMPOSITION_FIELD_MAX: 1200,
  INSTRUCTIONS_MAX: 1000,
  PAGE_SIZE_DEFAULT: 20,
  PAGE_SIZE_MAX: 50,
  ID_MAX: 128,
  CLERK_TOKEN_MAX: 8192,
  CURSOR_MAX: 512,
  /** A scene's spoken line: about 2.5 words a second for the longest scene, with room to spare. */
  VOICEOVER_TEXT_MAX: 200,
  CALL_TO_ACTION_MAX: 80,
  /** Seconds of one crossfade between scenes. */
  TRANSITION_SECONDS_MIN: 0.1,
  TRANSITION_SECONDS_MAX: 1.5,
  DEFAULT_TRANSITION_SECONDS: 0.5,
  END_CARD_SECONDS_MIN: 1,
  END_CARD_SECONDS_MAX: 8,
  DEFAULT_END_CARD_SECONDS: 3,
  /** Bytes of a brand logo (PNG or JPEG). */
  LOGO_MAX_BYTES: 2 * 1024 * 1024,
  /** Bytes of an uploaded product image (PNG or JPEG); storage.rules holds uploads to the same number. */
  PRODUCT_IMAGE_MAX_BYTES: 10 * 1024 * 1024,
  /** Largest side of an uploaded image, and its pixels (refuses decompression bombs before decoding). */
  UPLOAD_IMAGE_MAX_SIDE: 6000,
  /** Bytes of an uploaded clip (MP4, MOV or WebM); storage.rules holds uploads to the same number. */
  CLIP_MAX_BYTES: 200 * 1024 * 1024,
  /** Seconds of an uploaded clip: a scene takes at most SCENE_DURATION_MAX of it. */
  CLIP_MAX_SECONDS: 60,
  /** Largest side of an uploaded clip's picture. */
  CLIP_MAX_SIDE: 4096,
  /** The disclaimer drawn on the end card (a price, a legal line). */
  DISCLAIMER_MAX: 160,
} as const;
