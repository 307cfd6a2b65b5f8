// exchangeClerkToken against the local Clerk instance's keys (support/local-clerk.ts) served as a JWKS on
// loopback, like Clerk's https://<instance>/.well-known/jwks.json. The functions read the JWKS URL, issuer
// and parties from their params (the harness sets CLERK_JWKS_URL, CLERK_ISSUER and
// CLERK_AUTHORIZED_PARTIES to the values below).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import {
  E2E_SKIP_REASON,
  TestClient,
  clearFirestore,
  createProjectRequest,
  expectHttpsError,
  readProjectOrFail,
} from './support/index.js';
import { LOCAL_CLERK_KIDS, localClerkKeys, startLocalClerk, type LocalClerk } from './support/local-clerk.js';

const ISSUER = 'https://clerk.reelforge.test';
const PARTY = 'http://localhost:5173';
const RSA_KID: string = LOCAL_CLERK_KIDS.rsa;
const EC_KID: string = LOCAL_CLERK_KIDS.ec;

interface Keys {
  rsa: CryptoKey;
  ec: CryptoKey;
  /** Not in the JWKS. */
  rogue: CryptoKey;
  rsaPublicPem: string;
}

const now = () => Math.floor(Date.now() / 1000);

function claims(sub: string, overrides: JWTPayload = {}): JWTPayload {
  const t = now();
  return {
    sub,
    iss: ISSUER,
    azp: PARTY,
    sid: `sess_${randomUUID()}`,
    iat: t,
    nbf: t - 5,
    exp: t + 60,
    ...overrides,
  };
}

async function sign(
  payload: JWTPayload,
  key: CryptoKey | Uint8Array,
  alg = 'RS256',
  kid = RSA_KID,
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(key);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe.skipIf(E2E_SKIP_REASON !== null)('exchangeClerkToken', () => {
  let keys: Keys;
  let clerk: LocalClerk;
  let client: TestClient;

  beforeAll(async () => {
    await clearFirestore();
    // The local Clerk instance's own keys (fixed: the functions may still hold them cached from another file).
    const { rsa, ec } = await localClerkKeys();
    const rogue = await generateKeyPair('RS256');
    keys = {
      rsa: rsa.privateKey,
      ec: ec.privateKey,
      rogue: rogue.privateKey,
      rsaPublicPem: await exportSPKI(rsa.publicKey),
    };
    clerk = await startLocalClerk();
    client = TestClient.anonymous();
  });
  afterAll(async () => {
    await client?.close();
    await clerk?.close();
  });

  async function exchange(token: string) {
    return client.call('exchangeClerkToken', { token });
  }

  it('a valid RS256 token becomes a custom token that signs in as the Clerk user', async () => {
    const sub = `user_${randomUUID()}`;
    const res = await exchange(await sign(claims(sub), keys.rsa));
    // Namespaced: a Clerk user never shares a uid with another sign-in method.
    expect(res.uid).toBe(`clerk:${sub}`);
    expect(res.custom_token.length).toBeGreaterThan(20);
    // Verified with the local Clerk's published keys: fetched now, or cached from an earlier file (the key
    // set is the same; the functions have no other source of keys).

    const user = TestClient.anonymous();
    try {
      expect(await user.signInWithCustomToken(res.custom_token)).toBe(`clerk:${sub}`);
      expect(user.uid).toBe(`clerk:${sub}`);
      // The Firebase session works for the API, and projects belong to the Clerk user id.
      const { project } = await user.call('createProject', createProjectRequest());
      expect((await readProjectOrFail(project.id)).user_id).toBe(`clerk:${sub}`);
    } finally {
      await user.close();
    }
  });

  it('a valid ES256 token and the second authorized party are accepted', async () => {
    const sub = `user_${randomUUID()}`;
    const res = await exchange(
      await sign(claims(sub, { azp: 'https://app.reelforge.test' }), keys.ec, 'ES256', EC_KID),
    );
    expect(res.uid).toBe(`clerk:${sub}`);
  });

  const refused: [string, () => Promise<string>, RegExp][] = [
    [
      'expired',
      () => sign(claims('user_x', { iat: now() - 600, nbf: now() - 600, exp: now() - 60 }), keys.rsa),
      /expired/,
    ],
    [
      'not yet valid',
      () => sign(claims('user_x', { nbf: now() + 60, exp: now() + 120 }), keys.rsa),
      /not valid yet/,
    ],
    [
      'from another issuer',
      () => sign(claims('user_x', { iss: 'https://evil.clerk.test' }), keys.rsa),
      /issued/,
    ],
    [
      'for another party',
      () => sign(claims('user_x', { azp: 'https://evil.example' }), keys.rsa),
      /authorized party/,
    ],
    ['without a party', () => sign(claims('user_x', { azp: undefined }), keys.rsa), /authorized party/],
    ['without a subject', () => sign(claims('user_x', { sub: undefined }), keys.rsa), /"sub"/],
    ['without an expiry', () => sign(claims('user_x', { exp: undefined }), keys.rsa), /"exp"/],
    ['signed by a key not in the JWKS (same kid)', () => sign(claims('user_x'), keys.rogue), /signature/],
    [
      'signed by a key not in the JWKS (unknown kid)',
      () => sign(claims('user_x'), keys.rogue, 'RS256', 'ins_rogue'),
      /key/,
    ],
    [
      'HS256 with the public key as secret (algorithm confusion)',
      () => sign(claims('user_x'), new TextEncoder().encode(keys.rsaPublicPem), 'HS256'),
      /algorithm/,
    ],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims('user_x'))}.`, /algorithm/],
    [
      'with a tampered payload',
      async () => {
        const [header, , signature] = (await sign(claims('user_victim'), keys.rsa)).split('.');
        return `${header}.${b64(claims('user_attacker'))}.${signature}`;
      },
      /signature/,
    ],
    ['garbage', async () => 'not.a.jwt', /malformed/],
    [
      'of a session that is not active',
      () => sign(claims('user_x', { sts: 'pending' }), keys.rsa),
      /pending/,
    ],
  ];

  it.each(refused)('a token %s is refused with unauthenticated', async (_why, token, reason) => {
    const err = await expectHttpsError(exchange(await token()), 'unauthenticated');
    expect(err.message).toMatch(reason);
  });
});
