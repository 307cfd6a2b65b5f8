// A stand-in for one Clerk instance: its signing keys, their public halves served as a JWKS on the loopback
// port the functions are configured with (LOCAL_CLERK in scripts/harness/env.ts), and session tokens signed
// the way Clerk signs them. The keys are fixed, not made per test file: the functions cache the key set
// they fetched (jose: 10 minutes, a refetch for an unknown kid at most every 30 s), so two files serving two
// different key sets one after the other would each see the other's cached keys. Like a real Clerk
// instance, the stand-in has one key set. These keys sign test tokens for the emulators only.
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { LOCAL_CLERK } from '../../../scripts/harness/env.js';

export const LOCAL_CLERK_KIDS = { rsa: 'ins_test_rsa', ec: 'ins_test_ec' } as const;

const PRIVATE_JWKS: Record<keyof typeof LOCAL_CLERK_KIDS, JWK> = {
  rsa: {
    kty: 'RSA',
    n: '3Ym48O3uZYidjAFDE8zz86GeJB07Sd_d8vAUKw4brTlzZ0KTkjdtgJ0hIqYA2yWc-bK8jntTf_YZPITQpnTNPKRa42OW0fvOr6Z-CCtDBUTnk9pEokmes2vLYGulH06cJNgG5tUskQ9_8x7-3OOBouqocGkFwm9HjLn6iXBl4gk8LWtQ6D8MtkfPgQf7CzV-Evt7OR7xU7XENCLmQC8kL7qT1VZoTGo1QnCK3vGxN8BDrkDbqZbH4kvvSTupuYSd7ybclAyCvfmzS8PPudsZnXKbrecG1aEvAqoHIhpy4qCHvLOLT8HlYgXgLE44Tr8JFrP0CZxKvRFcJcF9XrJueQ',
    e: 'AQAB',
    d: '2y0s3v1T2CzkS2Xao_X0sbUHOcBlFLfgywx6553g0Loy7C_ew2o5cmU1wyUGJv18Sg4FC3IEymfQNlYWyv7QwcGMdvhKEei7ZuYLCrBcCxQaVYA8WjlvD-1o6M8wlI8eLDvay1715XS2qCUIp8Dt7YcuqwgJV4DnNaZ9S2_IKWp7yaiBysweomyA86lWRDIMQCJO_tVMENMF2-pGcJqBgDt8za8U-kvc7BVCgxARilJjc_qFegvN1XSchVc0qbP5M1AHveW_YPSPmGC0UtxPagXLq2coG0D_pPIBaz1SDQ458RKQhIAV_dGqZZvGT-ajBa_oMQAMxayYKhRlktxh',
    p: '9OsFnDtdYbFUFPYBoG6b5YuanpBO0Qnozs1VHo2SqqLKd19Ur3rYHVhreIVTVv-0MPl2w3jcdZmCvwXL_pA08wE4uJfw6Wtwc72xv4fBZ2HeZ5gGgXnaKMQ_hP1W7MO6T_GVjJnOZXFstO25omWFUbS95j2aIQofRFp8rZqRvpk',
    q: '54_hWilTq3EpDuPn3ZprVtVgcs2c6dWxejtt2YhVHppeHmVOuzUaEz7z7qZp1oOPhLhPUCfdsTCLFQwezmhzFVVlQLYPOlXK-7uEAGA59KpGPSPATUB57HIsS9n4-n5wsIgHeVnhmxZE9yyddV55ERbjWcB6gKb4FxkZIrINeuE',
    dp: 'ht1D4Zvu9_Sl0EUG8Ej4H5aYNehQ_lruj7IRxRlAQiYSR1l_UIHcr4wY4ezIz4dOugkklM7g1wEJNhcDFdJi1c0-ZqeESYSYD6PNVSJ0JXGG_pSAQJvQvdITCDBYxVeiKJNnPl0TgljK-3ZMWlh86VkVmMsjLD5eqU0Kiq4qw0E',
    dq: 'PGFvMLRwBddnDmPtNQKsFKNlF-p3jR3Uvnu6pCuBjo5QFnryMayiFPyoXMV1-aKqjMAGpm8OxsJSsfVMHyRrRdfTpDEU_XAbktKNlA-DbUHtOMoWvc4fPMF0vX6kBqVruwxtbn46btc6un0evdkZlpQySlf_WYawUE2SGVL2YuE',
    qi: 'nurMkPD7iotGGWbDbNAou37ZBcubbNcH0qmWFaDoP9cr4ENiwZABrkPMmhjyGRc38DwW5nY8acsuC81dfaN70d95cuen0-h_NL4TnxgysrykAptRE-kZqf9ku7iP6wxK26vPx-Zp1tMLzhYRmu0OeiKppZokmeMCONEKja4Z_EE',
  },
  ec: {
    kty: 'EC',
    x: '4Sv5G-2ZJYlKKRON7vmbSCGF4-fs0vgSa_WY_CShnJM',
    y: 'EG_UQ2qrwDV2cK73p750B4jxpDqyuMBi7-7GlS0johI',
    crv: 'P-256',
    d: 'EaELFe4bh7xQ07C2RJ13bJnR5lWEoL-2C_UsmC6zaLE',
  },
};

/** The public half of a private JWK: what the JWKS publishes. */
function publicJwk(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return pub;
}

export interface LocalClerkKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export async function localClerkKeys(): Promise<{ rsa: LocalClerkKey; ec: LocalClerkKey }> {
  const key = async (which: keyof typeof LOCAL_CLERK_KIDS, alg: 'RS256' | 'ES256') => ({
    kid: LOCAL_CLERK_KIDS[which],
    alg,
    privateKey: (await importJWK(PRIVATE_JWKS[which], alg)) as CryptoKey,
    publicKey: (await importJWK(publicJwk(PRIVATE_JWKS[which]), alg, { extractable: true })) as CryptoKey,
  });
  return { rsa: await key('rsa', 'RS256'), ec: await key('ec', 'ES256') };
}

const JWKS = JSON.stringify({
  keys: [
    { ...publicJwk(PRIVATE_JWKS.rsa), kid: LOCAL_CLERK_KIDS.rsa, alg: 'RS256', use: 'sig' },
    { ...publicJwk(PRIVATE_JWKS.ec), kid: LOCAL_CLERK_KIDS.ec, alg: 'ES256', use: 'sig' },
  ],
});

export interface LocalClerk {
  /** A valid session token for the Clerk user `sub`. */
  sessionToken(sub: string): Promise<string>;
  close(): Promise<void>;
}

export async function startLocalClerk(): Promise<LocalClerk> {
  const { rsa } = await localClerkKeys();
  const server: Server = createServer((req, res) => {
    if (req.url !== new URL(LOCAL_CLERK.jwksUrl).pathname) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JWKS);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(LOCAL_CLERK.jwksPort, '127.0.0.1', resolve);
  });
  return {
    sessionToken: (sub) => sign(rsa, sub),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function sign(key: LocalClerkKey, sub: string): Promise<string> {
  const t = Math.floor(Date.now() / 1000);
  return new SignJWT({
    sub,
    iss: LOCAL_CLERK.issuer,
    azp: LOCAL_CLERK.authorizedParties[0],
    sid: `sess_${randomUUID()}`,
    sts: 'active',
    iat: t,
    nbf: t - 5,
    exp: t + 60,
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .sign(key.privateKey);
}
