// exchangeClerkToken against a key pair generated here and served as a JWKS on loopback, like Clerk's
// https://<instance>/.well-known/jwks.json. The functions read the JWKS URL, issuer and parties from their
// params (the harness sets CLERK_JWKS_URL, CLERK_ISSUER and CLERK_AUTHORIZED_PARTIES to the values below).
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import {
  E2E_SKIP_REASON,
  TestClient,
  clearFirestore,
  createProjectRequest,
  expectHttpsError,
  readProjectOrFail,
} from './support/index.js';

const JWKS_PORT = 9710;
const ISSUER = 'https://clerk.reelforge.test';
const PARTY = 'http://localhost:5173';
const RSA_KID = 'ins_test_rsa';
const EC_KID = 'ins_test_ec';

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
  let server: Server;
  let jwksRequests = 0;
  let client: TestClient;

  beforeAll(async () => {
    await clearFirestore();
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const ec = await generateKeyPair('ES256', { extractable: true });
    const rogue = await generateKeyPair('RS256');
    keys = {
      rsa: rsa.privateKey,
      ec: ec.privateKey,
      rogue: rogue.privateKey,
      rsaPublicPem: await exportSPKI(rsa.publicKey),
    };
    const jwks = JSON.stringify({
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: RSA_KID, alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: EC_KID, alg: 'ES256', use: 'sig' },
      ],
    });
    server = createServer((req, res) => {
      if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
      jwksRequests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(JWKS_PORT, '127.0.0.1', resolve);
    });
    client = TestClient.anonymous();
  });
  afterAll(async () => {
    await client?.close();
    await new Promise((resolve) => server?.close(resolve));
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
    expect(jwksRequests).toBeGreaterThan(0);

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
