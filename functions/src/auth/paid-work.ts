// Who may start paid work (anything that admits a job against the budgets). Limits are per account and
// email sign-up is open, so an unverified address would let one person multiply every per-user limit by
// making accounts. A verified email is required, unless the account came through a sign-in that vouches for
// the person itself: the Clerk exchange (our own custom tokens, `custom`: Clerk verified the person) or a
// phone number (verified by its SMS code). Anonymous accounts never qualify.
export interface SignInClaims {
  email_verified?: boolean;
  firebase?: { sign_in_provider?: string };
}

/** Sign-in providers whose accounts need no verified email. */
const VOUCHED_PROVIDERS = new Set(['custom', 'phone']);

export const UNVERIFIED_MESSAGE =
  'Verify your email address before starting paid work: open the link in the verification email we sent, ' +
  'then sign in again (or reload the page). You can create and edit projects meanwhile.';

/** True when the account may start jobs that cost money. */
export function mayStartPaidWork(claims: SignInClaims): boolean {
  if (claims.email_verified === true) return true;
  const provider = claims.firebase?.sign_in_provider;
  return provider !== undefined && VOUCHED_PROVIDERS.has(provider);
}

/** A signed-in caller as the layers below the callables see it. */
export interface Caller {
  uid: string;
  /** `mayStartPaidWork` of the caller's verified token. */
  mayStartPaidWork: boolean;
}
