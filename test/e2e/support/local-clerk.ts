// A stand-in for one Clerk instance: an RS256 key pair made here, its public half served as a JWKS on the
// loopback port the functions are configured with (LOCAL_CLERK in scripts/harness/env.ts), and session
// tokens signed with it the way Clerk signs them. test/e2e/clerk.test.ts checks the verification itself;
// this is for tests that only need a Clerk user to sign in.
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { LOCAL_CLERK } from '../../../scripts/harness/env.js';

const KID = 'ins_local_rsa';

export interface LocalClerk {
  /** A valid session token for the Clerk user `sub`. */
  sessionToken(sub: string): Promise<string>;
  close(): Promise<void>;
}

export async function startLocalClerk(): Promise<LocalClerk> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' }],
  });
  const server: Server = createServer((req, res) => {
    if (req.url !== new URL(LOCAL_CLERK.jwksUrl).pathname) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(LOCAL_CLERK.jwksPort, '127.0.0.1', resolve);
  });
  return {
    sessionToken: (sub) => sign(privateKey, sub),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function sign(key: CryptoKey, sub: string): Promise<string> {
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
    .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
    .sign(key);
}
