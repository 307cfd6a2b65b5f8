// Which Storage objects a project document references, and writes that delete what they stop referencing.
// A file is deleted only after the write that dropped its reference has committed: deleting first would
// leave the document pointing at nothing if the write then lost.
import { projectFilePaths, type ProjectDoc } from '@reelforge/schema';
import { deleteFiles } from '../storage/files.js';
import { mutateProject, NO_WRITE, Unchanged, type MutateOptions, type MutationContext } from './store.js';
import { takeNamedPaths } from './takes.js';

/** Every Storage path the document names (`projectFilePaths`, the one definition the URL signer and the
 * storage reconciliation share): what a write stops naming here is deleted once it commits. */
export function referencedPaths(project: ProjectDoc): Set<string> {
  return new Set(projectFilePaths(project));
}

/**
 * `mutateProject` for changes that may drop file references (editing or deleting a scene, choosing another
 * mood): once the write commits, the files the written document no longer names are deleted, but for those a
 * kept take still names (an edit leaves the scene's takes; deleting the scene deletes them after this). What
 * is dropped is part of the change's decision, so only the run that was written counts.
 */
export async function mutateProjectReleasingFiles(
  projectId: string,
  opts: MutateOptions,
  change: (
    project: ProjectDoc,
    ctx: MutationContext,
  ) => void | typeof NO_WRITE | Promise<void | typeof NO_WRITE>,
): Promise<{ project: ProjectDoc; dropped: string[] }> {
  const { project, value: dropped } = await mutateProject(projectId, opts, async (p, ctx) => {
    const before = referencedPaths(p);
    if ((await change(p, ctx)) === NO_WRITE) return new Unchanged<string[]>([]);
    const after = referencedPaths(p);
    return [...before].filter((path) => !after.has(path));
  });
  const kept = dropped.length ? await takeNamedPaths(projectId, dropped) : new Set<string>();
  const gone = dropped.filter((path) => !kept.has(path));
  await deleteFiles(gone);
  return { project, dropped: gone };
}
