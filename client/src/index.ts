// @reelforge/client: the typed SDK any web or Node client of Reelforge imports.
//
//   const rf = createReelforgeClient({ functions, firestore });
//   const { project } = await rf.createProject({ name, creative_brief });   // checked, then parsed
//   const stop = rf.subscribeProject(project.id, ({ project, camel }) => render(camel));
//   const stopUsage = rf.subscribeUsage(uid, (usage) => show(usage?.active_jobs));
//   const url = await rf.assetUrl(project.id, path);                        // cached until it expires
import type { Firestore } from 'firebase/firestore';
import type { Functions } from 'firebase/functions';
import { AssetUrlCache, type AssetUrlCacheOptions } from './asset-urls.js';
import { callableMethods, type CallableMethods, type CallOptions } from './callables.js';
import type { ReelforgeError } from './errors.js';
import { subscribeProject, type ProjectSnapshot, type Unsubscribe } from './subscribe.js';
import { subscribeUsage, type UsageRecord } from './subscribe-usage.js';
import { subscribeTakes } from './subscribe-takes.js';
import type { Take } from '@reelforge/schema';

export * from './errors.js';
export { AssetUrlCache, type AssetUrlCacheOptions } from './asset-urls.js';
export { call, callableMethods, type CallableMethods, type CallOptions } from './callables.js';
export { subscribeProject, type ProjectSnapshot, type Unsubscribe } from './subscribe.js';
export { subscribeUsage, type UsageRecord } from './subscribe-usage.js';
export { subscribeTakes } from './subscribe-takes.js';

export interface ReelforgeClientOptions extends CallOptions {
  functions: Functions;
  firestore: Firestore;
  assetUrls?: AssetUrlCacheOptions;
}

export type ReelforgeClient = CallableMethods & {
  subscribeProject(
    projectId: string,
    onChange: (snapshot: ProjectSnapshot) => void,
    onError?: (error: ReelforgeError) => void,
  ): Unsubscribe;
  /** The user's usage record, live (`null` before their first job); only its owner may listen. */
  subscribeUsage(
    uid: string,
    onChange: (usage: UsageRecord) => void,
    onError?: (error: ReelforgeError) => void,
  ): Unsubscribe;
  /** The project's takes (every kept take of every scene asset), live, newest first; its owner only. */
  subscribeTakes(
    projectId: string,
    onChange: (takes: Take[]) => void,
    onError?: (error: ReelforgeError) => void,
  ): Unsubscribe;
  /** URL of one stored file of the project (cached until shortly before it expires). */
  assetUrl(projectId: string, path: string): Promise<string | undefined>;
  /** Every file URL of the project (cached likewise). */
  assetUrls(projectId: string): Promise<Record<string, string>>;
  readonly assetCache: AssetUrlCache;
};

export function createReelforgeClient(options: ReelforgeClientOptions): ReelforgeClient {
  const methods = callableMethods(options.functions, options);
  const assetCache = new AssetUrlCache(
    (projectId, paths) => methods.getAssetUrls({ project_id: projectId, ...(paths && { paths }) }),
    options.assetUrls,
  );
  return {
    ...methods,
    subscribeProject: (projectId, onChange, onError) =>
      subscribeProject(options.firestore, projectId, onChange, onError),
    subscribeUsage: (uid, onChange, onError) => subscribeUsage(options.firestore, uid, onChange, onError),
    subscribeTakes: (projectId, onChange, onError) =>
      subscribeTakes(options.firestore, projectId, onChange, onError),
    assetUrl: (projectId, path) => assetCache.url(projectId, path),
    assetUrls: (projectId) => assetCache.urls(projectId),
    assetCache,
  };
}
