// A new project from a creative brief. The SDK checks the request against the schema before sending, so a
// missing field is named at once, in the same `[{ path, message }]` form the backend uses.
import { useState, type FormEvent } from 'react';
import { AspectRatioSchema, type AspectRatio, type CreativeBrief } from '@reelforge/schema';
import { navigate, useAction, useRf } from '../lib/hooks.js';
import { ActionError } from './ActionError.js';

const BRIEF_FIELDS: { key: keyof CreativeBrief; label: string; long?: boolean }[] = [
  { key: 'brand_name', label: 'Brand name' },
  { key: 'product_description', label: 'Product description', long: true },
  { key: 'target_audience', label: 'Target audience' },
  { key: 'key_message', label: 'Key message' },
  { key: 'tone', label: 'Tone' },
  { key: 'notes', label: 'Notes (optional)', long: true },
];

export function NewProjectForm() {
  const rf = useRf();
  const create = useAction('Create project');
  const [name, setName] = useState('');
  const [brief, setBrief] = useState<Record<string, string>>({});
  const [aspect, setAspect] = useState<AspectRatio>('9:16');

  async function submit(e: FormEvent) {
    e.preventDefault();
    const created = await create.run(() =>
      rf.createProject({
        name,
        creative_brief: {
          brand_name: brief.brand_name ?? '',
          product_description: brief.product_description ?? '',
          target_audience: brief.target_audience ?? '',
          key_message: brief.key_message ?? '',
          tone: brief.tone ?? '',
          ...(brief.notes ? { notes: brief.notes } : {}),
        },
        settings: { aspect_ratio: aspect },
      }),
    );
    if (created) navigate(`/projects/${created.project.id}`);
  }

  return (
    <section className="card" aria-labelledby="new-project-title">
      <h2 id="new-project-title">New project</h2>
      <form onSubmit={(e) => void submit(e)} className="brief">
        <label>
          Project name
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        {BRIEF_FIELDS.map((f) => (
          <label key={f.key}>
            {f.label}
            {f.long ? (
              <textarea
                rows={2}
                value={brief[f.key] ?? ''}
                onChange={(e) => setBrief({ ...brief, [f.key]: e.target.value })}
              />
            ) : (
              <input
                value={brief[f.key] ?? ''}
                onChange={(e) => setBrief({ ...brief, [f.key]: e.target.value })}
              />
            )}
          </label>
        ))}
        <label>
          Aspect ratio
          <select value={aspect} onChange={(e) => setAspect(e.target.value as AspectRatio)}>
            {AspectRatioSchema.options.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <ActionError action={create} />
        <button type="submit" disabled={create.pending}>
          Create project
        </button>
      </form>
    </section>
  );
}
