// The camelCase view for clients that prefer it: the same data, keys renamed, values untouched (ISO
// timestamps, storage paths, enum values such as 'scene_text' stay exactly as they are).
import type {
  ActiveJob,
  Composition,
  CreativeBrief,
  Mood,
  Project,
  ProjectSummary,
  Scene,
  SceneAssets,
} from './project.js';

export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

export type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

export type CamelCasedDeep<T> = T extends readonly (infer U)[]
  ? CamelCasedDeep<U>[]
  : T extends object
    ? { [K in keyof T as K extends string ? CamelCase<K> : K]: CamelCasedDeep<T[K]> }
    : T;

export type SnakeCasedDeep<T> = T extends readonly (infer U)[]
  ? SnakeCasedDeep<U>[]
  : T extends object
    ? { [K in keyof T as K extends string ? SnakeCase<K> : K]: SnakeCasedDeep<T[K]> }
    : T;

export type ProjectCamel = CamelCasedDeep<Project>;
export type SceneCamel = CamelCasedDeep<Scene>;
export type MoodCamel = CamelCasedDeep<Mood>;
export type ActiveJobCamel = CamelCasedDeep<ActiveJob>;
export type CreativeBriefCamel = CamelCasedDeep<CreativeBrief>;
export type SceneAssetsCamel = CamelCasedDeep<SceneAssets>;
export type CompositionCamel = CamelCasedDeep<Composition>;
export type ProjectSummaryCamel = CamelCasedDeep<ProjectSummary>;

// Our keys are lowercase words joined by '_', which makes the two renamings exact inverses.
export function camelKey(key: string): string {
  return key.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

export function snakeKey(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** Renames keys of plain objects only; arrays are walked, every other value is returned as is. Every key
 * is renamed, so convert entities, not maps keyed by data (e.g. `getAssetUrls`' storage-path `urls`). */
function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item: unknown) => renameKeys(item, rename));
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [rename(key), renameKeys(item, rename)]),
    );
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function toCamel<T>(value: T): CamelCasedDeep<T> {
  return renameKeys(value, camelKey) as CamelCasedDeep<T>;
}

export function toSnake<T>(value: T): SnakeCasedDeep<T> {
  return renameKeys(value, snakeKey) as SnakeCasedDeep<T>;
}
