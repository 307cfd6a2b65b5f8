// Which Firebase users the old Clerk sign-in made. It minted custom tokens whose uid was the bare Clerk user
// id (`user_` + base62, e.g. `user_2NNEqL2nrIRdJ194ndJqAHwEfxC`); sign-in now uses `clerk:<id>`.
// Firebase-generated uids are 28 base62 characters with no `_`, and a custom-token user has no sign-in
// provider (empty providerData), so an email, phone or OAuth user can never match, whatever its uid.
import { CLERK_UID_PREFIX } from '../../functions/src/auth/clerk.js';

const CLERK_USER_ID = /^user_[0-9A-Za-z]+$/;
/** Firebase uids are at most 128 characters, prefix included (functions/src/auth/clerk.ts refuses longer). */
const UID_MAX = 128;

export interface AuthUserLike {
  uid: string;
  providerData: readonly unknown[];
}

export function isClerkUserId(uid: string): boolean {
  return CLERK_USER_ID.test(uid) && uid.length <= UID_MAX - CLERK_UID_PREFIX.length;
}

export function isLegacyClerkUser(user: AuthUserLike): boolean {
  return isClerkUserId(user.uid) && user.providerData.length === 0;
}

/** The uid the Clerk user signs in as now. */
export const clerkUid = (sub: string) => `${CLERK_UID_PREFIX}${sub}`;
