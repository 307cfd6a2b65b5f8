// The finished ad, made in the studio by clicking: the ad settings (brand, call to action, a field error shown
// under its field), a logo (a non-image refused in the browser, a PNG stored), a one-scene storyboard with
// its voiceover line edited, the music bed, "generate all" with its cost shown first and started through
// `generateAll` (one call per step, never per scene), the render, the usage strip showing the day's spend,
// and a budget refusal beside the button with the backend's message. Checked against what Firestore and
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
    'sets the brand, logo and music, generates all, renders, and shows the spend',
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

      // A mood, then a one-scene storyboard whose line is edited.
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

      // The music bed, with its bar, then its player.
      await page.getByRole('button', { name: 'Generate music bed' }).click();
      await waitForJob(page, 'Music bed', 'completed', 120_000);
      await page.getByLabel('Music bed', { exact: true }).and(page.locator('audio')).waitFor();

      // Generate all: the estimate first, then one generateAll call per step.
      await page.getByRole('button', { name: "Generate all scenes' assets" }).click();
      const estimate = page.getByLabel('Estimated cost');
      await estimate.filter({ hasText: /5 jobs, about \$\d/ }).waitFor();
      expect(Number(await estimate.getAttribute('data-usd'))).toBeGreaterThan(0);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await shots.take(page, 'estimate');
      await page.getByRole('button', { name: 'Confirm generate all' }).click();
      await page.getByText('1/1 scenes ready').waitFor({ timeout: 150_000 });
      await waitForJob(page, 'Scene 1 voiceover', 'completed', 60_000);
      await page.getByLabel('Scene 1 voiceover', { exact: true }).and(page.locator('audio')).waitFor();
      await page.getByRole('button', { name: "Generate all scenes' assets" }).waitFor();
      expect(calls.filter((c) => c === 'generateAll')).toHaveLength(5);
      expect(calls).not.toContain('generateSceneAsset');
      expect(calls.filter((c) => c === 'estimateCost').length).toBeGreaterThanOrEqual(1);

      // Render; the usage strip then shows the day's spend.
      await page.getByRole('button', { name: 'Render the ad' }).click();
      await waitForJob(page, 'Render', 'completed', 120_000);
      await page.getByLabel('The ad, 9:16', { exact: true }).waitFor();
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
      expect(await stored(project.assets.renders?.['9:16'])).toBeGreaterThan(10_000);
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
