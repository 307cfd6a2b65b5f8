// The takes of a project's scene assets (schema/src/takes.ts): one document each beside the project, in
// `projects/{project_id}/takes/{take_id}`, named by the job that made it. A take is written in the same
// atomic commit as the job's completion (MutationContext.also), so there is never a take without its
// completed job, nor a completed job without its take. The scene in the project document names the chosen
// take (its files in the asset fields, its id) and the pinned ones; deciding which take to drop, choosing
// and deleting all go through the project document's conditional write, which orders them.
import { Timestamp, type Query } from 'firebase-admin/firestore';
import {
  LIMITS,
  SCENE_ASSET_FIELD,
  TAKES_COLLECTION,
  TakeDocSchema,
  takeDocPath,
  takesToDrop,
  type MadeFrom,
  type SceneAssetTakes,
  type SceneAssetType,
  type SceneDoc,
  type TakeDoc,
  type TakeFileField,
} from '@reelforge/schema';
import { db } from '../firebase.js';
import { LimitReached, PreconditionFailed } from '../errors.js';
import { log } from '../log.js';
import { deleteFiles } from '../storage/files.js';
import { projectRef, type SideWrites } from './store.js';

export const takesCol = (projectId: string) => projectRef(projectId).collection(TAKES_COLLECTION);

/** Firestore's bound on the values of one `array-contains-any`. */
const ANY_OF_MAX = 30;

function parseTake(id: string, data: unknown): TakeDoc | undefined {
  const parsed = TakeDocSchema.safeParse(data);
  if (!parsed.success) {
    log.warn('a take does not match the schema', { take_id: id, error: parsed.error.message });
    return undefined;
  }
  return parsed.data;
}

/** The project's takes, all of them or one scene's (and one asset's). */
export async function readTakes(
  projectId: string,
  filter: { sceneId?: string; asset?: SceneAssetType } = {},
): Promise<TakeDoc[]> {
  let query: Query = takesCol(projectId);
  if (filter.sceneId) query = query.where('scene_id', '==', filter.sceneId);
  if (filter.asset) query = query.where('asset', '==', filter.asset);
  const snap = await query.get();
  return snap.docs.flatMap((d) => parseTake(d.id, d.data()) ?? []);
}

export async function readTake(projectId: string, takeId: string): Promise<TakeDoc | undefined> {
  const snap = await takesCol(projectId).doc(takeId).get();
  return snap.exists ? parseTake(snap.id, snap.data()) : undefined;
}

/** Those of `paths` that a kept take of the project names (a take's files are kept while it is). */
export async function takeNamedPaths(projectId: string, paths: readonly string[]): Promise<Set<string>> {
  const asked = [...new Set(paths)];
  const named = new Set<string>();
  for (let i = 0; i < asked.length; i += ANY_OF_MAX) {
    const chunk = asked.slice(i, i + ANY_OF_MAX);
    const snap = await takesCol(projectId).where('paths', 'array-contains-any', chunk).get();
    for (const d of snap.docs) {
      for (const path of (d.get('paths') as string[] | undefined) ?? []) named.add(path);
    }
  }
  return new Set(asked.filter((path) => named.has(path)));
}

/** Deletes the take documents, then their files (a file is never deleted while a take still names it). */
export async function deleteTakes(projectId: string, takes: readonly TakeDoc[]): Promise<void> {
  for (let i = 0; i < takes.length; i += 400) {
    const batch = db().batch();
    for (const take of takes.slice(i, i + 400)) batch.delete(takesCol(projectId).doc(take.take_id));
    await batch.commit();
  }
  await deleteFiles(takes.flatMap((take) => take.paths));
}

/** A deleted scene's takes go with it: documents and files. */
export async function deleteSceneTakes(projectId: string, sceneId: string): Promise<number> {
  const takes = await readTakes(projectId, { sceneId });
  await deleteTakes(projectId, takes);
  return takes.length;
}

/** What a take's files are, by the scene asset fields they fill. */
export type TakeFiles = Partial<Record<TakeFileField, string>>;

/** One asset job's result, as a take to add. */
export interface NewTake {
  asset: SceneAssetType;
  jobId: string;
  files: TakeFiles;
  madeFrom?: MadeFrom;
  /** A keyframe painted with the product image as its reference: that image. */
  productImagePath?: string;
  composition?: TakeDoc['composition'];
  voiceoverText?: string;
}

/** The asset's takes as they stood before the job completes: what the completing write may drop. */
export type KnownTakes = readonly Pick<TakeDoc, 'take_id' | 'paths' | 'created_at'>[];

/** The fields of the scene a take of `asset` fills. */
export function takeFields(asset: SceneAssetType): TakeFileField[] {
  return asset === 'voiceover'
    ? [SCENE_ASSET_FIELD.voiceover, 'voiceover_timing_path']
    : [SCENE_ASSET_FIELD[asset]];
}

/** What a take was made with, as the scene's record of its chosen take copies it (staleness reads it there). */
function madeWith(take: TakeDoc): Pick<SceneAssetTakes, 'made_from' | 'product_image_path'> {
  return {
    ...(take.made_from ? { made_from: take.made_from } : {}),
    ...(take.product_image_path ? { product_image_path: take.product_image_path } : {}),
  };
}

/** What a scene's chosen takes are, for the take a job makes from them (`made_from`). */
export function chosenTakes(scene: SceneDoc, assets: readonly SceneAssetType[]): MadeFrom {
  return Object.fromEntries(
    assets.flatMap((asset) => {
      const chosen = scene.takes?.[asset]?.chosen;
      return chosen ? [[asset, chosen]] : [];
    }),
  );
}

/**
 * Inside the completing write: the new take becomes the scene's asset (its files in the asset fields) and its
 * document is written with the project (`also`); past the limit the oldest takes neither chosen nor pinned
 * are dropped. Returns the files to delete once the write has committed: the dropped takes', and an asset
 * from before takes, which no take names.
 */
export function addTake(
  projectId: string,
  scene: SceneDoc,
  take: NewTake,
  known: KnownTakes,
  now: Timestamp,
  also: SideWrites,
): string[] {
  const record = scene.takes?.[take.asset];
  const replaced: string[] = [];
  for (const field of takeFields(take.asset)) {
    const previous = scene.assets[field];
    if (!record?.chosen && previous && previous !== take.files[field]) replaced.push(previous);
    const path = take.files[field];
    if (path) scene.assets[field] = path;
    else delete scene.assets[field];
  }
  scene.assets.generated_at = now;
  const job = scene.active_job?.job_id === take.jobId ? scene.active_job : undefined;
  const doc: TakeDoc = {
    take_id: take.jobId,
    job_id: take.jobId,
    scene_id: scene.id,
    asset: take.asset,
    files: take.files,
    paths: Object.values(take.files).filter((p): p is string => !!p),
    cost_usd: job?.cost?.actual_usd ?? job?.cost?.estimated_usd ?? 0,
    created_at: now,
    ...(take.madeFrom && Object.keys(take.madeFrom).length ? { made_from: take.madeFrom } : {}),
    ...(take.productImagePath ? { product_image_path: take.productImagePath } : {}),
    ...(take.composition ? { composition: take.composition } : {}),
    ...(take.voiceoverText !== undefined ? { voiceover_text: take.voiceoverText } : {}),
  };
  also.set(takeDocPath(projectId, doc.take_id), doc);
  const others = known.filter((t) => t.take_id !== doc.take_id);
  const next = {
    chosen: doc.take_id,
    ...madeWith(doc),
    ...(record?.pinned?.length ? { pinned: record.pinned } : {}),
  };
  const drop = new Set(
    takesToDrop(
      [
        ...others.map((t) => ({ take_id: t.take_id, created_ms: t.created_at.toMillis() })),
        { take_id: doc.take_id, created_ms: now.toMillis() },
      ],
      next,
      LIMITS.TAKES_PER_ASSET,
    ),
  );
  for (const dropped of others.filter((t) => drop.has(t.take_id))) {
    also.delete(takeDocPath(projectId, dropped.take_id));
    replaced.push(...dropped.paths);
  }
  scene.takes = { ...scene.takes, [take.asset]: next };
  return replaced.filter((path) => !doc.paths.includes(path));
}

/** The asset's takes as the job finds them before it completes (ids, files and ages only). */
export async function knownTakes(
  projectId: string,
  sceneId: string,
  asset: SceneAssetType,
): Promise<KnownTakes> {
  return (await readTakes(projectId, { sceneId, asset })).map(({ take_id, paths, created_at }) => ({
    take_id,
    paths,
    created_at: created_at instanceof Timestamp ? created_at : Timestamp.fromMillis(created_at.toMillis()),
  }));
}

/** How many takes of one asset may be pinned: with the chosen one they still leave room for a new take. */
export const MAX_PINNED = LIMITS.TAKES_PER_ASSET - 1;

/**
 * Makes `take` the scene's asset: its files in the asset fields (a composition's text back on the scene),
 * its id and what it was made from on the scene's record. An asset whose chosen take was made from another
 * take of this one's asset is then out of date (`outdatedAssets`). Refuses a voiceover of another line.
 */
export function chooseTakeOn(scene: SceneDoc, take: TakeDoc, now: Timestamp): void {
  if (take.asset === 'voiceover' && take.voiceover_text !== (scene.voiceover_text?.trim() ?? '')) {
    throw new PreconditionFailed(
      `This voiceover take speaks an earlier line ("${take.voiceover_text ?? ''}"); put that line back first or generate the voiceover again.`,
    );
  }
  for (const field of takeFields(take.asset)) {
    const path = take.files[field];
    if (path) scene.assets[field] = path;
    else delete scene.assets[field];
  }
  scene.assets.generated_at = now;
  if (take.asset === 'composition' && take.composition) {
    scene.composition = {
      ...take.composition,
      generated_at: Timestamp.fromMillis(take.created_at.toMillis()),
    };
  }
  const pinned = scene.takes?.[take.asset]?.pinned;
  scene.takes = {
    ...scene.takes,
    [take.asset]: {
      chosen: take.take_id,
      ...madeWith(take),
      ...(pinned?.length ? { pinned } : {}),
    },
  };
}

/** Pins or unpins a take on the scene's record of its asset. */
export function pinTakeOn(scene: SceneDoc, take: TakeDoc, pinned: boolean): void {
  const record = scene.takes?.[take.asset] ?? {};
  const others = (record.pinned ?? []).filter((id) => id !== take.take_id);
  const next = pinned ? [...others, take.take_id] : others;
  if (next.length > MAX_PINNED) {
    throw new LimitReached(
      `At most ${MAX_PINNED} takes of one asset can be pinned (the chosen one makes ${LIMITS.TAKES_PER_ASSET}); unpin one first.`,
    );
  }
  const { pinned: _pinned, ...rest } = record;
  scene.takes = { ...scene.takes, [take.asset]: next.length ? { ...rest, pinned: next } : rest };
}

/** Forgets a take the scene no longer keeps; the chosen take cannot go (choose another one first). */
export function deleteTakeOn(scene: SceneDoc, take: TakeDoc): void {
  const record = scene.takes?.[take.asset];
  if (record?.chosen === take.take_id) {
    throw new PreconditionFailed(
      "This take is the scene's chosen one and cannot be deleted; choose another take first.",
    );
  }
  if (record?.pinned?.includes(take.take_id)) pinTakeOn(scene, take, false);
}

/** Every take document of a (deleted) project; their files go with the project's prefix. */
export async function deleteAllTakeDocs(projectId: string): Promise<void> {
  await db().recursiveDelete(takesCol(projectId));
}
