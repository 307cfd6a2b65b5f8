// One action's failure, as the backend explained it, shown beside the control that started it: the code, the
// message, and for `invalid-argument` each field.
import type { Action } from '../lib/hooks.js';

export function ActionError({ action }: { action: Action }) {
  const { failure } = action;
  if (!failure) return null;
  const fields = failure.error.fieldErrors;
  return (
    <div className="error" role="alert" aria-label={`${failure.label} failed`}>
      <strong>
        {failure.label} failed ({failure.error.code}):
      </strong>{' '}
      {failure.error.message}
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.path}>
              {f.path}: {f.message}
            </li>
          ))}
        </ul>
      )}
      <button type="button" aria-label={`Dismiss: ${failure.label} failed`} onClick={action.clear}>
        ×
      </button>
    </div>
  );
}
