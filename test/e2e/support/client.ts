// A client like a real one: its own Firebase JS SDK app, a user signed up on the auth emulator (real users,
// because the emulator accepts forged tokens and only real ones make authorisation tests meaningful), and
// callables invoked through `httpsCallable`.
import { randomUUID } from 'node:crypto';
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import {
  connectAuthEmulator,
  createUserWithEmailAndPassword,
  getAuth,
  signInWithCustomToken,
  type Auth,
} from 'firebase/auth';
import { connectFunctionsEmulator, getFunctions, httpsCallable, type Functions } from 'firebase/functions';
import type { CallableName, CallableRequest, CallableResponse } from '@reelforge/schema';
import { verifyEmailOnAuthEmulator } from '@reelforge/client/auth-emulator';
import { TEST_ENV } from './env.js';

export interface CallOptions {
  timeoutMs?: number;
}

export class TestClient {
  private constructor(
    readonly app: FirebaseApp,
    readonly auth: Auth,
    private readonly functions: Functions,
  ) {}

  /** A client with nobody signed in. */
  static anonymous(): TestClient {
    const app = initializeApp(
      {
        apiKey: 'demo-api-key',
        projectId: TEST_ENV.projectId,
        authDomain: `${TEST_ENV.projectId}.firebaseapp.com`,
        storageBucket: TEST_ENV.bucket,
        appId: 'demo-app',
      },
      `client-${randomUUID()}`,
    );
    const auth = getAuth(app);
    connectAuthEmulator(auth, `http://${TEST_ENV.auth.host}:${TEST_ENV.auth.port}`, {
      disableWarnings: true,
    });
    const functions = getFunctions(app, TEST_ENV.region);
    connectFunctionsEmulator(functions, TEST_ENV.functions.host, TEST_ENV.functions.port);
    return new TestClient(app, auth, functions);
  }

  /**
   * A new user, signed up with email and password on the auth emulator, with the email verified through the
   * emulator (as paid work requires) unless `verified: false`.
   */
  static async signUp(label = 'user', { verified = true }: { verified?: boolean } = {}): Promise<TestClient> {
    const client = TestClient.anonymous();
    await createUserWithEmailAndPassword(
      client.auth,
      `${label}-${randomUUID()}@reelforge.test`,
      'password-123',
    );
    if (verified) {
      await verifyEmailOnAuthEmulator(client.auth, {
        origin: `http://${TEST_ENV.auth.host}:${TEST_ENV.auth.port}`,
        projectId: TEST_ENV.projectId,
      });
    }
    return client;
  }

  /** The signed-in user's current ID token (what the SDK sends with each call). */
  async idToken(): Promise<string> {
    const user = this.auth.currentUser;
    if (!user) throw new Error('this client is not signed in');
    return user.getIdToken();
  }

  get uid(): string {
    const user = this.auth.currentUser;
    if (!user) throw new Error('this client is not signed in');
    return user.uid;
  }

  async signInWithCustomToken(token: string): Promise<string> {
    const { user } = await signInWithCustomToken(this.auth, token);
    return user.uid;
  }

  /** A typed call, as a client would make it. `timeoutMs` overrides the SDK's 70 s client-side deadline. */
  async call<N extends CallableName>(
    name: N,
    data: CallableRequest<N>,
    options: CallOptions = {},
  ): Promise<CallableResponse<N>> {
    return (await this.callRaw(name, data, options)) as CallableResponse<N>;
  }

  /** Any payload at all: for the bad-input tests. */
  async callRaw(name: string, data: unknown, { timeoutMs }: CallOptions = {}): Promise<unknown> {
    const fn = httpsCallable(
      this.functions,
      name,
      timeoutMs === undefined ? undefined : { timeout: timeoutMs },
    );
    return (await fn(data)).data;
  }

  async close(): Promise<void> {
    await deleteApp(this.app);
  }
}
