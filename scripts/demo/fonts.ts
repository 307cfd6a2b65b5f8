// A font file for the contact sheet's labels (ffmpeg's drawtext needs one). Looked up at run time: common
// locations first, then fontconfig. None found: the sheet is made without labels and the demo says so.
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';

const CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
  '/usr/share/fonts/truetype/freefont/FreeSansBold.ttf',
  '/System/Library/Fonts/Supplemental/Arial Bold.ttf',
  '/Library/Fonts/Arial.ttf',
  'C:\\Windows\\Fonts\\arialbd.ttf',
];

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function findFontFile(): Promise<string | undefined> {
  for (const path of CANDIDATES) if (await exists(path)) return path;
  try {
    const { stdout } = await promisify(execFile)('fc-list', ['--format', '%{file}\n', ':lang=en'], {
      timeout: 5000,
    });
    const files = stdout.split('\n').filter((f) => /\.(ttf|otf)$/i.test(f));
    return (
      files.find((f) => /sans/i.test(f) && /bold/i.test(f)) ?? files.find((f) => /sans/i.test(f)) ?? files[0]
    );
  } catch {
    return undefined;
  }
}
