// A victim project with something of everything an attacker could aim at: scenes, moods (one selected), files
// in Storage, a finished job, a failed job and a job waiting on its provider. Built through the real callables
// where they can build it, the rest seeded as the job machinery would have written it.
import { Timestamp } from 'firebase-admin/firestore';
import type { ProjectDoc } from '@reelforge/schema';
import type { TestClient } from '../support/index.js';
import {
  activeJob,
  adminBucket,
  createProjectRequest,
  mood,
  patchProject,
  projectDoc,
  sceneInput,
  uploadFile,
} from '../support/index.js';

export interface VictimIds {
  project: string;
  scenes: string[];
  mood: string;
  /** A job waiting for its provider (processing, no lease): what a cancel or a webhook would act on. */
  runningJob: string;
  runningPrediction: string;
  failedJob: string;
  completedJob: string;
}

export async function createVictim(owner: TestClient): Promise<VictimIds> {
  const { project } = await owner.call('createProject', createProjectRequest({ name: 'Victim project' }));
  const scenes: string[] = [];
  for (let i = 1; i <= 3; i++) {
    scenes.push((await owner.call('addScene', { project_id: project.id, ...sceneInput(i) })).scene.id);
  }
  const prefix = `projects/${project.id}`;
  const selected = mood({ name: 'Selected mood', image_paths: [`${prefix}/moods/m1/a-0.png`] });
  const other = mood({ name: 'Other mood' });
  const files = {
    moodImage: `${prefix}/moods/m1/a-0.png`,
    keyframe: `${prefix}/scenes/${scenes[0]}/image-done.png`,
    video: `${prefix}/scenes/${scenes[0]}/video-done.mp4`,
    render: `${prefix}/renders/final.mp4`,
  };
  await Promise.all(Object.values(files).map((path) => uploadFile(path, `contents of ${path}`)));
  const tenSecondsAgo = Timestamp.fromMillis(Date.now() - 10_000);
  const running = activeJob('image', 'processing', {
    provider_ref: 'victim-prediction',
    lease_until: null,
    progress: 0,
    last_update: tenSecondsAgo,
    scene_id: scenes[1],
  });
  const failed = activeJob('audio', 'failed', {
    error_message: 'Audio generation failed: test',
    scene_id: scenes[2],
  });
  const completed = activeJob('video', 'completed', { scene_id: scenes[0] });
  await patchProject(project.id, (p: ProjectDoc) => {
    p.moods = [selected, other];
    p.storyboard.selected_mood = selected;
    p.assets.final_video_path = files.render;
    const [first, second, third] = p.scenes;
    first!.assets = { thumbnail_path: files.keyframe, video_path: files.video };
    first!.active_job = completed;
    second!.active_job = running;
    third!.active_job = failed;
    // Last written as long ago as its running job, so that a progress report is due under the project's
    // write budget (functions/src/jobs/progress.ts).
    p.updated_at = tenSecondsAgo;
  });
  return {
    project: project.id,
    scenes,
    mood: selected.id,
    runningJob: running.job_id,
    runningPrediction: 'victim-prediction',
    failedJob: failed.job_id,
    completedJob: completed.job_id,
  };
}

export interface ProjectSnapshot {
  updateTime: string | undefined;
  data: unknown;
  files: { name: string; generation: unknown; md5: unknown; size: unknown }[];
}

/** Everything of a project that must not change: the document (update time and data) and its files. */
export async function snapshotProject(projectId: string): Promise<ProjectSnapshot> {
  const snap = await projectDoc(projectId).get();
  const [files] = await adminBucket().getFiles({ prefix: `projects/${projectId}/` });
  return {
    updateTime: snap.updateTime?.toDate().toISOString(),
    data: snap.data(),
    files: files
      .map((f) => ({
        name: f.name,
        generation: f.metadata.generation,
        md5: f.metadata.md5Hash,
        size: f.metadata.size,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
