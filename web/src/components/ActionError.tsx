// A failed call, as the backend explained it: the code, the message, and for `invalid-argument` each field.
import type { Actions } from '../lib/hooks.js';

export function ErrorBanner({ actions }: { actions: Actions }) {
  const { error } = actions;
  if (!error) return null;
  const fields = error.error.fieldErrors;
  return (
    <div className="error" role="alert">
      <strong>
        {error.label} failed ({error.error.code}):
      </strong>{' '}
      {error.error.message}
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.path}>
              {f.path}: {f.message}
            </li>
          ))}
        </ul>
      )}
      <button type="button" aria-label="Dismiss the error" onClick={actions.clearError}>
        ×
      </button>
    </div>
  );
}
