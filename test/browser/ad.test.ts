// The finished ad, made in the studio by clicking: the ad settings (brand, call to action, a field error shown
// under its field), a logo (a non-image refused in the browser, a PNG stored), a one-scene storyboard with
// its voiceover line edited, the music bed, two render formats ticked, "Make the ad" with its cost shown
// first and started by one `startProduction` (the backend makes the rest, in both formats, without a call per
// step), the usage strip showing the day's spend, and a budget refusal beside the button with the backend's
// message. Checked against what Firestore and
// Storage hold; the usage strip follows the usage record live. Screenshots go to out/studio/ad/.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LIMITS } from '@reelforge/schema';
import { E2E_SKIP_REASON } from '../e2e/support/env.js';
import { adminBucket, adminDb, readProjectOrFail } from '../e2e/support/admin.js';
import {
  Screenshots,
  suitePage,
  createProject,
  newEmail,
  seriousAxeViolations,
  signUp,
  unnamedControls,
  waitForImageLoaded,
  waitForJob,
} from './support.js';

const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const CTA = 'Order tonight at glowbrew.test';
const LINE = 'Stay bright tonight.';

async function stored(path: string | undefined): Promise<number> {
  expect(path).toBeTruthy();
  const [meta] = await adminBucket().file(path!).getMetadata();
  return Number(meta.size);
}

/** Waits until the page shows `usd` in the element's `data-usd` (the usage is read again after jobs end). */
async function showsUsd(page: Page, label: string, usd: number, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = Number(await page.getByLabel(label, { exact: true }).getAttribute('data-usd'));
    if (Math.abs(value - usd) < 1e-9) return;
    if (Date.now() > deadline) throw new Error(`${label} shows ${value}, the usage record ${usd}`);
    await page.waitForTimeout(250);
  }
}

describe.skipIf(E2E_SKIP_REASON !== null)('the studio, the finished ad', () => {
  const shots = new Screenshots('ad');
  const currentPage = suitePage(shots);

  it(
    'sets the brand, logo and music, makes the ad in two formats, and shows the spend',
    { timeout: 300_000 },
    async () => {
      const page = currentPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      // Which callables the page asks for, by name (the functions emulator serves each at /{project}/{region}/{name}).
      const calls: string[] = [];
      page.on('request', (req) => {
        const name = /\/us-central1\/([A-Za-z]+)$/.exec(new URL(req.url()).pathname)?.[1];
        if (name && req.method() === 'POST') calls.push(name);
      });

      await signUp(page, newEmail('ad'));
      await page.getByLabel('Usage today').getByLabel('Daily budget').waitFor();
      const projectId = await createProject(page, { name: 'Glowbrew ad' });

      // Ad settings: a call to action over its limit is refused with the field named under the field.
      const settings = page.getByRole('region', { name: 'Ad settings' });
      await settings.getByLabel('Ad brand name', { exact: true }).fill('Glowbrew Night');
      await settings
        .getByLabel('Call to action', { exact: true })
        .fill('x'.repeat(LIMITS.CALL_TO_ACTION_MAX + 1));
      await settings.getByRole('button', { name: 'Save ad settings' }).click();
      await settings
        .getByRole('alert', { name: 'Call to action problem' })
        .filter({ hasText: /^Call to action: .*80/ })
        .waitFor();
      expect(await settings.getByLabel('Call to action', { exact: true }).getAttribute('aria-invalid')).toBe(
        'true',
      );
      await shots.take(page, 'field-error');
      await settings.getByLabel('Call to action', { exact: true }).fill(CTA);
      await settings.getByRole('button', { name: 'Save ad settings' }).click();
      await settings.getByRole('alert', { name: 'Call to action problem' }).waitFor({ state: 'detached' });
      await page.getByText('Glowbrew Night · 9:16').waitFor();

      // A second language: one whose script the captions cannot draw is refused under the field, naming it.
      const languages = settings.getByLabel('Languages', { exact: true });
      await languages.fill('en, ko');
      await settings.getByRole('button', { name: 'Save ad settings' }).click();
      await settings.getByRole('alert', { name: 'Languages problem' }).filter({ hasText: /"ko"/ }).waitFor();
      await languages.fill('en, es');
      await settings.getByRole('button', { name: 'Save ad settings' }).click();
      await settings.getByRole('alert', { name: 'Languages problem' }).waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Translate and voice in es' }).waitFor();

      // The logo: a text file named .png is refused before any upload; a PNG is stored and shown.
      const logoInput = settings.getByLabel('Logo file', { exact: true });
      await logoInput.setInputFiles({
        name: 'logo.png',
        mimeType: 'image/png',
        buffer: Buffer.from('not a picture'),
      });
      await settings
        .getByRole('alert', { name: 'Logo problem' })
        .filter({ hasText: 'PNG or JPEG' })
        .waitFor();
      expect(calls).not.toContain('setLogo');
      await logoInput.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG_1x1 });
      const logo = settings.getByRole('img', { name: 'Brand logo' });
      await logo.waitFor();
      await waitForImageLoaded(logo);
      expect(await settings.getByRole('alert', { name: 'Logo problem' }).count()).toBe(0);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await shots.take(page, 'settings-and-logo');

      // A mood, then a one-scene storyboard whose line is edited, made 3 s long (the ad is rendered in two
      // formats below; a short scene keeps the clip and both renders quick).
      await page.getByRole('button', { name: 'Generate moods' }).click();
      await waitForJob(page, 'Moods');
      const firstMood = page.getByRole('list', { name: 'Mood boards' }).getByRole('listitem').first();
      await firstMood.getByRole('button', { name: /^Choose mood / }).click();
      await firstMood.getByRole('button', { pressed: true }).waitFor();
      await page.getByLabel('Number of scenes').fill('1');
      await page.getByRole('button', { name: 'Draft storyboard' }).click();
      await waitForJob(page, 'Storyboard');
      await page.getByLabel('Scene 1 voiceover line').fill(LINE);
      await page.getByRole('button', { name: 'Save voiceover line of scene 1' }).click();
      await page
        .getByRole('button', { name: 'Save voiceover line of scene 1' })
        .and(page.locator(':disabled'))
        .waitFor();
      await page.getByLabel('Scene 1 duration in seconds').fill('3');
      await page.getByRole('button', { name: 'Save scene 1' }).click();
      await page.getByRole('button', { name: 'Save scene 1' }).and(page.locator(':disabled')).waitFor();

      // The music bed, with its bar, then its player.
      await page.getByRole('button', { name: 'Generate music bed' }).click();
      await waitForJob(page, 'Music bed', 'completed', 120_000);
      await page.getByLabel('Music bed', { exact: true }).and(page.locator('audio')).waitFor();

      // The ad in a second format too: the render section's choice is what "Make the ad" asks for.
      await page.getByLabel('Render 16:9', { exact: true }).check();
      // Make the ad: the estimate first (the bed exists, so the scene's four steps, the Spanish translation
      // and the render), then one startProduction; the backend makes the rest.
      await page.getByRole('button', { name: 'Make the ad', exact: true }).click();
      const estimate = page.getByLabel('Estimated cost');
      await estimate.filter({ hasText: /^6 steps, about \$\d/ }).waitFor();
      expect(Number(await estimate.getAttribute('data-usd'))).toBeGreaterThan(0);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await shots.take(page, 'estimate');
      await page.getByRole('button', { name: 'Confirm make the ad' }).click();
      await page
        .getByRole('status', { name: 'Production status' })
        .and(page.locator('[data-status="completed"]'))
        .waitFor({ timeout: 150_000 });
      expect(await page.getByRole('status', { name: 'Production steps' }).textContent()).toBe(
        // The bed made before counts as done.
        '7 of 7 steps done',
      );
      await waitForJob(page, 'Scene 1 voiceover', 'completed', 5_000);
      await page.getByLabel('Scene 1 voiceover', { exact: true }).and(page.locator('audio')).waitFor();
      await page.getByLabel('The ad, 9:16', { exact: true }).waitFor();
      await page.getByLabel('The ad, 16:9', { exact: true }).waitFor();
      // The same ad in Spanish, in both formats, listed in its own row of the grid.
      const spanish = page.getByRole('list', { name: 'Rendered ads in es' });
      await spanish.getByLabel('The ad, 9:16 in es', { exact: true }).waitFor();
      await spanish.getByLabel('The ad, 16:9 in es', { exact: true }).waitFor();
      await page.getByRole('heading', { name: 'Spanish (es)' }).waitFor();
      expect(calls.filter((c) => c === 'startProduction')).toHaveLength(1);
      expect(calls.filter((c) => c === 'estimateProduction')).toHaveLength(1);
      for (const perStep of ['generateAll', 'generateSceneAsset', 'renderProject', 'estimateCost']) {
        expect(calls).not.toContain(perStep);
      }
      expect(await unnamedControls(page)).toEqual([]);

      // What the backend holds.
      const project = await readProjectOrFail(projectId);
      expect(project.storyboard.creative_brief).toMatchObject({
        brand_name: 'Glowbrew Night',
        call_to_action: CTA,
      });
      // setLogo stores a normalised copy (decoded and re-encoded by sharp), not the uploaded bytes.
      expect(project.assets.logo_path).toMatch(/\.png$/);
      expect(await stored(project.assets.logo_path)).toBeGreaterThan(0);
      expect(await stored(project.assets.music_path)).toBeGreaterThan(1000);
      expect(project.production).toMatchObject({ status: 'completed', formats: ['9:16', '16:9'] });
      expect(await stored(project.assets.renders?.['9:16']?.video_path)).toBeGreaterThan(10_000);
      expect(await stored(project.assets.renders?.['16:9']?.video_path)).toBeGreaterThan(10_000);
      expect(project.settings.languages).toEqual(['en', 'es']);
      expect(await stored(project.assets.renders?.['9:16@es']?.video_path)).toBeGreaterThan(10_000);
      expect(await stored(project.localizations?.es?.scenes[0]?.voiceover_path)).toBeGreaterThan(1000);
      const [scene] = project.scenes;
      expect(scene!.voiceover_text).toBe(LINE);
      expect(await stored(scene!.assets.voiceover_path)).toBeGreaterThan(1000);

      // The usage strip shows the day's spend as the usage record holds it, above zero after these jobs.
      const usage = (await adminDb().collection('usage').doc(project.user_id).get()).data()!;
      expect(usage.spent_today_usd).toBeGreaterThan(0);
      await showsUsd(page, 'Spent today', usage.spent_today_usd as number);
      expect(await page.getByLabel('Spent today').textContent()).toMatch(/^\$\d+\.\d+$/);
      await shots.take(page, 'rendered');

      // Over today's budget: the strip shows it as soon as the record says so (its listener; nothing on the
      // page changed to make it ask), then the next start is refused and says why beside its button.
      await adminDb().collection('usage').doc(project.user_id).update({ spent_today_usd: 1000 });
      await showsUsd(page, 'Spent today', 1000, 5_000);
      await page.getByLabel('Usage today').and(page.locator('.at-limit')).waitFor();
      await page.getByRole('button', { name: 'Regenerate music bed' }).click();
      const refusal = page
        .getByRole('region', { name: 'Music bed' })
        .getByRole('alert', { name: 'Generate the music bed failed' })
        .filter({ hasText: 'resource-exhausted' });
      await refusal.waitFor();
      expect(await refusal.textContent()).toMatch(/daily budget/);
      // Only that action failed: no other control shows an error.
      expect(await page.getByRole('alert').count()).toBe(1);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await shots.take(page, 'refused');
      expect(errors).toEqual([]);
    },
  );
});
