// The typeface of captions and the end card. It ships as an npm dependency (`dejavu-fonts-ttf`, DejaVu Sans
// under a free licence) rather than coming from the system: Cloud Functions guarantees no fonts, and the
// deployed render must look exactly like the local one.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const FONT_FAMILY = 'DejaVu Sans';
const BOLD_FILE = 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf';

let cached: string | undefined;

/** The folder holding the TTF files, for libass (`fontsdir`). */
export function fontsDir(): string {
  if (cached) return cached;
  // The functions bundle is CommonJS and has its own `require`; elsewhere (tests, benchmarks) resolve from
  // the working directory, whose node_modules hold the same package.
  const resolve =
    typeof require === 'function' ? require.resolve : createRequire(join(process.cwd(), 'index.js')).resolve;
  cached = dirname(resolve(BOLD_FILE));
  return cached;
}
