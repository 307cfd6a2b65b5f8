// The ad's settings: the brand and call to action on the end card, the card itself and its length, captions
// on or off, and the logo. Saving sends only what changed (updateProject); the callable's field errors show
// under their fields. Render settings cost nothing to change: the next render reads them.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { LIMITS, ResolutionSchema, type Project, type Resolution } from '@reelforge/schema';
import { adSettingsOf, adSettingsPatch, fieldMessages, type AdSettingsDraft } from '../lib/adSettings.js';
import { useAction, useRf } from '../lib/hooks.js';
import { ActionError } from './ActionError.js';
import { LogoUpload } from './LogoUpload.js';
import { ProductImageUpload } from './ProductImageUpload.js';

export function AdSettingsSection({ project }: { project: Project }) {
  const rf = useRf();
  // A refusal of the save is shown here, field by field, under the fields it names.
  const saving = useAction('Save the ad settings');
  const stored = adSettingsOf(project);
  const [draft, setDraft] = useState<AdSettingsDraft>(stored);
  const [dirty, setDirty] = useState(false);
  const storedKey = JSON.stringify(stored);
  // Another tab changed the settings: follow it unless the person is mid-edit.
  useEffect(() => {
    if (!dirty) setDraft(JSON.parse(storedKey) as AdSettingsDraft);
  }, [storedKey, dirty]);

  // The draft as last typed, for a save that resolves after more typing (below).
  const latest = useRef(draft);
  latest.current = draft;
  const edit = (patch: Partial<AdSettingsDraft>) => {
    setDraft({ ...draft, ...patch });
    setDirty(true);
  };
  const patch = adSettingsPatch(project, draft);
  async function save(e: FormEvent) {
    e.preventDefault();
    if (!patch) return;
    const sent = draft;
    // Typed into while the save was in flight (the listener can show the saved project before the call
    // answers): those edits are kept, not replaced by the stored values.
    if (await saving.run(() => rf.updateProject(patch))) setDirty(latest.current !== sent);
  }

  const errors = fieldMessages(saving.failure?.error);
  const fieldError = (path: string, label: string) =>
    errors[path] ? (
      <p className="field-error" role="alert" aria-label={`${label} problem`}>
        {label}: {errors[path]}
      </p>
    ) : null;
  // A failure that names no field of this form (the project is gone, the network) is shown whole.
  const shownInline = [
    'creative_brief.brand_name',
    'creative_brief.call_to_action',
    'settings.end_card_seconds',
    'settings.disclaimer',
    'settings.languages',
  ];
  const otherFailure = !Object.keys(errors).some((path) => shownInline.includes(path));

  return (
    <section className="card" aria-labelledby="ad-settings-title">
      <h2 id="ad-settings-title">Ad settings</h2>
      <form className="ad-settings" onSubmit={(e) => void save(e)}>
        <label>
          Brand name
          <input
            aria-label="Ad brand name"
            aria-invalid={errors['creative_brief.brand_name'] ? true : undefined}
            maxLength={LIMITS.NAME_MAX}
            value={draft.brand_name}
            onChange={(e) => edit({ brand_name: e.target.value })}
          />
        </label>
        {fieldError('creative_brief.brand_name', 'Brand name')}
        <label>
          Call to action
          <input
            aria-label="Call to action"
            aria-invalid={errors['creative_brief.call_to_action'] ? true : undefined}
            placeholder="Order today at example.com"
            value={draft.call_to_action}
            onChange={(e) => edit({ call_to_action: e.target.value })}
          />
        </label>
        {fieldError('creative_brief.call_to_action', 'Call to action')}
        <div className="row wrap">
          <label className="inline">
            <input
              type="checkbox"
              checked={draft.end_card}
              onChange={(e) => edit({ end_card: e.target.checked })}
            />
            End card
          </label>
          <label className="inline">
            End card seconds
            <input
              type="number"
              min={LIMITS.END_CARD_SECONDS_MIN}
              max={LIMITS.END_CARD_SECONDS_MAX}
              step={0.5}
              disabled={!draft.end_card}
              aria-invalid={errors['settings.end_card_seconds'] ? true : undefined}
              value={draft.end_card_seconds}
              onChange={(e) => edit({ end_card_seconds: Number(e.target.value) })}
            />
          </label>
          <label className="inline">
            <input
              type="checkbox"
              checked={draft.captions}
              onChange={(e) => edit({ captions: e.target.checked })}
            />
            Captions
          </label>
          <label className="inline">
            Resolution
            <select
              value={draft.resolution}
              onChange={(e) => edit({ resolution: e.target.value as Resolution })}
            >
              {ResolutionSchema.options.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
        </div>
        {fieldError('settings.end_card_seconds', 'End card seconds')}
        <label>
          Disclaimer (drawn exactly on the end card; never sent to an AI model)
          <input
            aria-label="Disclaimer"
            aria-invalid={errors['settings.disclaimer'] ? true : undefined}
            maxLength={LIMITS.DISCLAIMER_MAX}
            value={draft.disclaimer}
            placeholder="From $4.99. Terms apply."
            onChange={(e) => edit({ disclaimer: e.target.value })}
          />
        </label>
        {fieldError('settings.disclaimer', 'Disclaimer')}
        <label>
          Languages (BCP-47 tags, the storyboard's own first; each other one is translated and voiced)
          <input
            aria-label="Languages"
            aria-invalid={errors['settings.languages'] ? true : undefined}
            value={draft.languages}
            placeholder="en, es, ja"
            onChange={(e) => edit({ languages: e.target.value })}
          />
        </label>
        {fieldError('settings.languages', 'Languages')}
        <button type="submit" disabled={!patch || saving.pending}>
          Save ad settings
        </button>
      </form>
      {project.storyboard.selected_mood && (
        <p className="muted palette">
          End card palette:{' '}
          <span role="img" aria-label={project.storyboard.selected_mood.color_palette.join(', ')}>
            {project.storyboard.selected_mood.color_palette.map((color) => (
              <span key={color} className="swatch" style={{ background: color }} title={color} />
            ))}
          </span>
        </p>
      )}
      {otherFailure && <ActionError action={saving} />}
      <LogoUpload project={project} />
      <ProductImageUpload project={project} />
    </section>
  );
}
