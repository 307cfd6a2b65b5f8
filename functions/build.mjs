// Bundles the functions with esbuild into lib/index.js.
// Why a bundle: @reelforge/schema is a workspace package that the Cloud Functions build cannot install
// from the registry, so it is inlined; every registry dependency stays external and is installed by
// Cloud Build from this folder's package.json. Dynamic imports stay dynamic, so heavy SDKs load lazily.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: [new URL('./src/index.ts', import.meta.url).pathname],
  outfile: new URL('./lib/index.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: Object.keys(pkg.dependencies ?? {}),
  logLevel: 'warning',
});
