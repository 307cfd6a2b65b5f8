// The pure decisions about accounts: who may start paid work (a verified email, or a sign-in that vouches
// for the person), and the global daily ceiling's refusal. Their e2e counterparts: test/e2e/accounts.test.ts.
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../functions/src/firebase.js', () => ({ db: () => ({}) }));
const { mayStartPaidWork } = await import('../../functions/src/auth/paid-work.js');
const { checkGlobalCeiling } = await import('../../functions/src/projects/usage/global-ceiling.js');
const { LimitReached } = await import('../../functions/src/errors.js');

describe('paid work needs a verified account', () => {
  const password = { firebase: { sign_in_provider: 'password' } };

  it('an email and password account, only once its email is verified', () => {
    expect(mayStartPaidWork({ ...password, email_verified: false })).toBe(false);
    expect(mayStartPaidWork(password)).toBe(false);
    expect(mayStartPaidWork({ ...password, email_verified: true })).toBe(true);
  });

  it('the Clerk exchange (a custom token) and phone sign-in vouch for the person themselves', () => {
    expect(mayStartPaidWork({ firebase: { sign_in_provider: 'custom' } })).toBe(true);
    expect(mayStartPaidWork({ firebase: { sign_in_provider: 'phone' } })).toBe(true);
  });

  it('an anonymous account never, nor a token that names no provider', () => {
    expect(mayStartPaidWork({ firebase: { sign_in_provider: 'anonymous' } })).toBe(false);
    expect(mayStartPaidWork({})).toBe(false);
  });

  it('an OAuth account by the verified email its provider reports', () => {
    expect(mayStartPaidWork({ firebase: { sign_in_provider: 'google.com' }, email_verified: true })).toBe(
      true,
    );
    expect(mayStartPaidWork({ firebase: { sign_in_provider: 'github.com' }, email_verified: false })).toBe(
      false,
    );
  });
});

describe('the global daily ceiling', () => {
  it('admits up to the ceiling exactly, and refuses past it naming the totals', () => {
    expect(() => checkGlobalCeiling(499, 1, 500)).not.toThrow();
    expect(() => checkGlobalCeiling(499, 1.01, 500)).toThrow(LimitReached);
    expect(() => checkGlobalCeiling(499.5, 1, 500)).toThrow(
      /spending ceiling for today \(\$499\.50 of \$500\.00 across all users\).*until midnight UTC/,
    );
  });

  it('refuses even work priced at nothing once the ceiling is reached', () => {
    expect(() => checkGlobalCeiling(500, 0, 500)).toThrow(LimitReached);
    expect(() => checkGlobalCeiling(10, 0, 500)).not.toThrow();
  });
});
