// Another revision's functions bundle, built for a side-by-side run: `git archive` of its functions/ and
// schema/ into node_modules/.cache (inside this checkout, so the bundle's external packages resolve to this
// checkout's node_modules, the same module instances the write counters patch), bundled as build.mjs does.
// Used where a benchmark compares today's code with the new in one run, without keeping the old behaviour
// selectable in the functions themselves.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from '../../scripts/harness/env.js';

export interface Baseline {
  /** The revision as given, and its commit. */
  ref: string;
  commit: string;
  bundlePath: string;
}

export async function buildBaseline(ref: string): Promise<Baseline> {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  const dir = join(ROOT, 'node_modules', '.cache', 'reelforge-baseline', commit);
  const bundlePath = join(dir, 'functions', 'lib', 'index.js');
  if (existsSync(bundlePath)) return { ref, commit, bundlePath };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', commit, 'functions', 'schema'], {
    cwd: ROOT,
    maxBuffer: 256 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  const pkg = JSON.parse(readFileSync(join(dir, 'functions', 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  await build({
    entryPoints: [join(dir, 'functions', 'src', 'index.ts')],
    outfile: bundlePath,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: Object.keys(pkg.dependencies ?? {}),
    // That revision's schema, not this checkout's workspace link.
    alias: { '@reelforge/schema': join(dir, 'schema', 'src', 'index.ts') },
    logLevel: 'warning',
  });
  return { ref, commit, bundlePath };
}
