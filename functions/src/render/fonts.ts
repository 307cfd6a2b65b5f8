// The typefaces of captions and the end card. They ship as npm dependencies rather than coming from the
// system: Cloud Functions guarantees no fonts, and the deployed render must look exactly like the local one.
// DejaVu Sans (`dejavu-fonts-ttf`) draws Latin, Cyrillic and Greek; each other script the ad's languages
// accept (schema/src/languages.ts) has its Noto Sans (`@expo-google-fonts/noto-sans-*`, SIL Open Font
// Licence), so no glyph is ever a box.
//
// libass reads the fonts of one folder (`fontsdir`) and falls back from the style's font to the others in it
// glyph by glyph (a Latin brand name inside an Arabic line). A script other than DejaVu's gets a folder of
// its own in the temp dir, holding DejaVu and that script's font only, so a render scans two files, not the
// 20 MB of every CJK font.
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { SCRIPTS, type Script } from '@reelforge/schema';

export const FONT_FAMILY = SCRIPTS.latin.font;
const BOLD_FILE = 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf';

/** The bold TTF of each script DejaVu does not draw, by its npm package. */
const SCRIPT_FILES: Partial<Record<Script, string>> = {
  arabic: '@expo-google-fonts/noto-sans-arabic/700Bold/NotoSansArabic_700Bold.ttf',
  hebrew: '@expo-google-fonts/noto-sans-hebrew/700Bold/NotoSansHebrew_700Bold.ttf',
  japanese: '@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf',
  han_simplified: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
};

function resolveFile(file: string): string {
  // The functions bundle is CommonJS and has its own `require`; elsewhere (tests, benchmarks) resolve from
  // the working directory, whose node_modules hold the same packages.
  const resolve =
    typeof require === 'function' ? require.resolve : createRequire(join(process.cwd(), 'index.js')).resolve;
  return resolve(file);
}

const cached = new Map<Script, string>();

/** The folder holding the TTF files for text in `script` (Latin when not given), for libass (`fontsdir`). */
export function fontsDir(script: Script = 'latin'): string {
  const hit = cached.get(script);
  if (hit) return hit;
  const dejavu = resolveFile(BOLD_FILE);
  const own = SCRIPT_FILES[script];
  let dir = dirname(dejavu);
  if (own) {
    dir = join(tmpdir(), `reelforge-fonts-${script}`);
    mkdirSync(dir, { recursive: true });
    for (const file of [dejavu, resolveFile(own)]) {
      const target = join(dir, basename(file));
      if (existsSync(target)) continue;
      // Copied under a temporary name, then renamed: two renders starting at once never read half a font.
      const partial = `${target}.${process.pid}.part`;
      copyFileSync(file, partial);
      renameSync(partial, target);
    }
  }
  cached.set(script, dir);
  return dir;
}
