// Values the build (vite.config.ts) puts into the bundle.
declare const __EMULATOR_PORTS__: { auth: number; functions: number; firestore: number; storage: number };
declare const __EMULATOR_PROJECT_ID__: string;

interface ImportMetaEnv {
  /** Clerk publishable key: when set, the studio also offers "Sign in with Clerk". */
  readonly VITE_CLERK_PUBLISHABLE_KEY?: string;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
