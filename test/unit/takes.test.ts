// Takes (functions/src/projects/takes.ts, schema/src/takes.ts): a new take becomes the scene's asset and is
// written with the completing write, the limit drops the oldest take neither chosen nor pinned, choosing a
// keyframe makes a video animated from another one out of date, and the chosen take cannot be deleted.
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { LIMITS, outdatedAssets, takesToDrop, type SceneDoc, type TakeDoc } from '@reelforge/schema';
import type { SideWrite, SideWrites } from '../../functions/src/projects/store.js';
import {
  addTake,
  chooseTakeOn,
  deleteTakeOn,
  pinTakeOn,
  type KnownTakes,
} from '../../functions/src/projects/takes.js';
import { sampleProject } from './support/memory-store.js';

function sink(): SideWrites & { writes: SideWrite[] } {
  const writes: SideWrite[] = [];
  return {
    writes,
    set: (path, data) => writes.push({ path, data }),
    delete: (path) => writes.push({ path, data: null }),
  };
}

const at = (ms: number) => Timestamp.fromMillis(ms);
const imagePath = (id: string) => `projects/p/scenes/s/image-${id}.png`;
/** A project without a product image: no keyframe is judged by one. */
const NO_PRODUCT_IMAGE = { assets: {} };

/** `n` earlier image takes, the oldest first. */
function known(n: number): KnownTakes {
  return Array.from({ length: n }, (_, i) => ({
    take_id: `t${i}`,
    paths: [imagePath(`t${i}`)],
    created_at: at(1_000 + i),
  }));
}

function sceneWith(takes?: SceneDoc['takes']): SceneDoc {
  const scene = sampleProject(1).scenes[0]!;
  if (takes) scene.takes = takes;
  return scene;
}

function take(id: string, asset: TakeDoc['asset'], extra: Partial<TakeDoc> = {}): TakeDoc {
  const field = { composition: 'composition_path', image: 'thumbnail_path', video: 'video_path' } as const;
  const path = `projects/p/scenes/s/${asset}-${id}`;
  return {
    take_id: id,
    job_id: id,
    scene_id: 's',
    asset,
    files: { [field[asset as keyof typeof field]]: path },
    paths: [path],
    cost_usd: 0.01,
    created_at: at(5_000),
    ...extra,
  };
}

describe('adding a take', () => {
  it('names the new take on the scene, writes its document with its cost, and keeps the earlier files', () => {
    const scene = sceneWith({ image: { chosen: 't1' } });
    scene.assets.thumbnail_path = imagePath('t1');
    scene.active_job = {
      ...scene.active_job!,
      job_id: 'j2',
      cost: { estimated_usd: 0.05, actual_usd: 0.04 },
    } as never;
    const also = sink();
    const replaced = addTake(
      'p',
      scene,
      {
        asset: 'image',
        jobId: 'j2',
        files: { thumbnail_path: imagePath('j2') },
        madeFrom: { composition: 'c1' },
      },
      known(2),
      at(9_000),
      also,
    );
    expect(replaced).toEqual([]);
    expect(scene.assets.thumbnail_path).toBe(imagePath('j2'));
    expect(scene.takes?.image).toEqual({ chosen: 'j2', made_from: { composition: 'c1' } });
    expect(also.writes).toHaveLength(1);
    expect(also.writes[0]!.path).toBe('projects/p/takes/j2');
    expect(also.writes[0]!.data).toMatchObject({
      take_id: 'j2',
      asset: 'image',
      cost_usd: 0.04,
      paths: [imagePath('j2')],
    });
  });

  it('past the limit drops the oldest take that is neither chosen nor pinned, and deletes only its files', () => {
    const scene = sceneWith({ image: { chosen: 't0', pinned: ['t1'] } });
    scene.assets.thumbnail_path = imagePath('t0');
    const also = sink();
    const replaced = addTake(
      'p',
      scene,
      { asset: 'image', jobId: 'new', files: { thumbnail_path: imagePath('new') } },
      known(LIMITS.TAKES_PER_ASSET),
      at(9_000),
      also,
    );
    // t0 was chosen until now: no longer, so it is the oldest unspared; t1 is pinned.
    expect(replaced).toEqual([imagePath('t0')]);
    expect(also.writes.map((w) => [w.path, w.data === null ? 'delete' : 'set'])).toEqual([
      ['projects/p/takes/new', 'set'],
      ['projects/p/takes/t0', 'delete'],
    ]);
    expect(scene.takes?.image).toEqual({ chosen: 'new', pinned: ['t1'] });
  });

  it('replaces (and gives up) an asset from before takes, which no take names', () => {
    const scene = sceneWith();
    scene.assets.thumbnail_path = 'projects/p/scenes/s/image-legacy.png';
    const replaced = addTake(
      'p',
      scene,
      { asset: 'image', jobId: 'j1', files: { thumbnail_path: imagePath('j1') } },
      [],
      at(9_000),
      sink(),
    );
    expect(replaced).toEqual(['projects/p/scenes/s/image-legacy.png']);
  });
});

describe('the limit', () => {
  const takes = (n: number) => Array.from({ length: n }, (_, i) => ({ take_id: `t${i}`, created_ms: i }));
  it('drops nothing up to it, and only the excess past it', () => {
    expect(takesToDrop(takes(10), { chosen: 't0' })).toEqual([]);
    expect(takesToDrop(takes(12), { chosen: 't0', pinned: ['t1'] })).toEqual(['t2', 't3']);
  });
});

describe('choosing, pinning and deleting', () => {
  it('choosing an older keyframe puts its file back and makes the video from the other one out of date', () => {
    const scene = sceneWith({ image: { chosen: 'k2' }, video: { chosen: 'v1', made_from: { image: 'k2' } } });
    expect(outdatedAssets(scene, NO_PRODUCT_IMAGE)).toEqual([]);
    chooseTakeOn(scene, take('k1', 'image'), at(9_000));
    expect(scene.assets.thumbnail_path).toBe('projects/p/scenes/s/image-k1');
    expect(outdatedAssets(scene, NO_PRODUCT_IMAGE)).toEqual(['video']);
    chooseTakeOn(scene, take('k2', 'image'), at(9_500));
    expect(outdatedAssets(scene, NO_PRODUCT_IMAGE)).toEqual([]);
  });

  it("puts a composition take's text back on the scene", () => {
    const scene = sceneWith();
    const composition = { description: 'Old', styling: 'Soft', animation: 'Slow' };
    chooseTakeOn(scene, take('c1', 'composition', { composition }), at(9_000));
    expect(scene.composition).toMatchObject(composition);
  });

  it('refuses a voiceover take of another line', () => {
    const scene = sceneWith();
    scene.voiceover_text = 'New line';
    const voice = take('v1', 'voiceover', {
      files: { voiceover_path: 'a.wav', voiceover_timing_path: 'a.timing.json' },
      voiceover_text: 'Old line',
    });
    expect(() => chooseTakeOn(scene, voice, at(9_000))).toThrow(/earlier line/);
  });

  it('never deletes the chosen take; pins at most one fewer than the limit', () => {
    const scene = sceneWith({ image: { chosen: 'k1' } });
    expect(() => deleteTakeOn(scene, take('k1', 'image'))).toThrow(/chosen/);
    for (let i = 0; i < LIMITS.TAKES_PER_ASSET - 1; i++) pinTakeOn(scene, take(`p${i}`, 'image'), true);
    expect(() => pinTakeOn(scene, take('one-more', 'image'), true)).toThrow(/At most/);
    deleteTakeOn(scene, take('p0', 'image'));
    expect(scene.takes?.image?.pinned).not.toContain('p0');
  });
});

describe('a keyframe made with the product image as its reference', () => {
  const P1 = 'projects/p/brand/product-1.png';
  const P2 = 'projects/p/brand/product-2.png';
  const withProduct = (path?: string) => ({ assets: path ? { product_image_path: path } : {} });

  it('records the image on the take and the scene, and is current while the scene would take the same one', () => {
    const scene = sceneWith();
    scene.shows_product = true;
    const writes = sink();
    addTake(
      'p',
      scene,
      { asset: 'image', jobId: 'k1', files: { thumbnail_path: imagePath('k1') }, productImagePath: P1 },
      [],
      at(9_000),
      writes,
    );
    expect(scene.takes?.image).toEqual({ chosen: 'k1', product_image_path: P1 });
    expect(writes.writes[0]).toMatchObject({ data: { take_id: 'k1', product_image_path: P1 } });
    expect(outdatedAssets(scene, withProduct(P1))).toEqual([]);
    // The product image replaced or removed, or the scene no longer showing the product: out of date.
    expect(outdatedAssets(scene, withProduct(P2))).toEqual(['image']);
    expect(outdatedAssets(scene, withProduct())).toEqual(['image']);
    scene.shows_product = false;
    expect(outdatedAssets(scene, withProduct(P1))).toEqual(['image']);
  });

  it('a keyframe made without one is out of date once the scene shows the product of a project that has one', () => {
    const scene = sceneWith({ image: { chosen: 'k0' } });
    expect(outdatedAssets(scene, withProduct(P1))).toEqual([]);
    scene.shows_product = true;
    expect(outdatedAssets(scene, withProduct())).toEqual([]);
    expect(outdatedAssets(scene, withProduct(P1))).toEqual(['image']);
    // Choosing a take made with it makes it current; choosing the plain one back, out of date again.
    chooseTakeOn(scene, take('k1', 'image', { product_image_path: P1 }), at(9_000));
    expect(scene.takes?.image).toEqual({ chosen: 'k1', product_image_path: P1 });
    expect(outdatedAssets(scene, withProduct(P1))).toEqual([]);
    chooseTakeOn(scene, take('k0', 'image'), at(9_500));
    expect(scene.takes?.image).toEqual({ chosen: 'k0' });
    expect(outdatedAssets(scene, withProduct(P1))).toEqual(['image']);
  });
});
