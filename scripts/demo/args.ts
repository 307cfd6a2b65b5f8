// Command line of the demo: `tsx scripts/demo.ts [--brief file.json] [--scenes N] [--aspect 9:16|16:9]
// [--out dir] [--help]`.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  AspectRatioSchema,
  CreateProjectRequestSchema,
  CreativeBriefSchema,
  LIMITS,
  LanguagesSchema,
  zodIssuesToDetails,
  type AspectRatio,
  type CreateProjectRequest,
} from '@reelforge/schema';

export const SAMPLE_BRIEF = fileURLToPath(new URL('./sample-brief.json', import.meta.url));
// Fewer than the product default (6): each scene adds four jobs (composition, keyframe, clip, voiceover) on
// the one project document, and the demo must stay well inside three minutes on the emulators.
export const DEFAULT_SCENES = 4;
export const DEFAULT_OUT_DIR = 'out/demo';

export const DEMO_USAGE = `Reelforge demo: the whole journey of a user, on the local emulators, with live progress.

usage: npm run demo [-- options]        (starts the emulators, runs the demo, stops them)
       tsx scripts/demo.ts [options]    (when the emulators already run: npm run emulators)

options:
  --brief <file.json>   the project to create: either a createProject request
                        ({ name, description?, creative_brief, settings? }) or a bare creative brief
                        ({ brand_name, product_description, target_audience, key_message, tone, notes? }).
                        Default: scripts/demo/sample-brief.json
  --scenes <N>          how many scenes the storyboard gets, ${LIMITS.MIN_SCENE_COUNT}-${LIMITS.MAX_SCENES} (default ${DEFAULT_SCENES})
  --aspect <ratio>      9:16 (portrait, 720x1280) or 16:9 (landscape, 1280x720); default: the brief's
                        setting, else 9:16
  --out <dir>           where the final MP4 and the contact sheet go (default ${DEFAULT_OUT_DIR}/)
  --product-image <f>   a PNG or JPEG of the product: uploaded to the user's own folder, attached with
                        setProductImage, and composited on the end card as the packshot
  --languages <tags>    the ad's languages, comma-separated BCP-47 tags, the storyboard's own first
                        (e.g. en,es): each other one is translated and voiced, and rendered in every
                        format from the same clips (default: the brief's setting, else en)
  --help                this text

It signs up a demo user, creates the project and starts ONE production from the brief (startProduction):
the backend makes the moods, selects the first, drafts the storyboard, makes every scene's composition,
keyframe, video clip and voiceover with the music bed alongside, and renders the ad in its own format and
one other, while the demo only watches the project document. Then it downloads both videos and writes a
contact sheet of the ad. Exit code 0 on success, 1 when the production fails (its blocked steps are
named), 2 on bad usage.`;

export interface DemoOptions {
  /** Path of the brief file; the sample when absent. */
  briefFile?: string;
  scenes: number;
  /** Overrides the brief's aspect ratio when given. */
  aspect?: AspectRatio;
  outDir: string;
  /** A product image to upload and composite on the end card. */
  productImage?: string;
  /** The ad's languages (settings.languages), when given. */
  languages?: string[];
}

export type ParsedArgs = { help: true } | { help: false; options: DemoOptions };

export class DemoUsageError extends Error {
  override name = 'DemoUsageError';
}

export function parseDemoArgs(argv: readonly string[]): ParsedArgs {
  let values: {
    help?: boolean;
    brief?: string;
    scenes?: string;
    aspect?: string;
    out?: string;
    'product-image'?: string;
    languages?: string;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h' },
        brief: { type: 'string' },
        scenes: { type: 'string' },
        aspect: { type: 'string' },
        out: { type: 'string' },
        'product-image': { type: 'string' },
        languages: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    // parseArgs names the offending option in its message (a missing value, an unknown flag, a positional).
    throw new DemoUsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return { help: true };
  const options: DemoOptions = { scenes: DEFAULT_SCENES, outDir: DEFAULT_OUT_DIR };
  // parseArgs refuses `--brief --scenes 3` (an option as the value) itself; `--brief=` is left to us.
  const given = (flag: string, value: string | undefined): string | undefined => {
    if (value === '') throw new DemoUsageError(`--${flag} needs a value`);
    return value;
  };
  const brief = given('brief', values.brief);
  if (brief !== undefined) options.briefFile = brief;
  const scenes = given('scenes', values.scenes);
  if (scenes !== undefined) {
    const n = Number(scenes);
    if (!Number.isInteger(n) || n < LIMITS.MIN_SCENE_COUNT || n > LIMITS.MAX_SCENES) {
      throw new DemoUsageError(
        `--scenes must be a whole number from ${LIMITS.MIN_SCENE_COUNT} to ${LIMITS.MAX_SCENES}, not ${scenes}`,
      );
    }
    options.scenes = n;
  }
  const aspect = given('aspect', values.aspect);
  if (aspect !== undefined) {
    const parsed = AspectRatioSchema.safeParse(aspect);
    if (!parsed.success) throw new DemoUsageError(`--aspect must be 9:16 or 16:9`);
    options.aspect = parsed.data;
  }
  const out = given('out', values.out);
  if (out !== undefined) options.outDir = out;
  const productImage = given('product-image', values['product-image']);
  if (productImage !== undefined) options.productImage = productImage;
  const languages = given('languages', values.languages);
  if (languages !== undefined) {
    const parsed = LanguagesSchema.safeParse(languages.split(',').map((tag) => tag.trim()));
    if (!parsed.success) {
      throw new DemoUsageError(`--languages: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    options.languages = parsed.data;
  }
  return { help: false, options };
}

/** The createProject request from the brief file (either form), with the aspect ratio override applied. */
export async function loadBrief(
  options: Pick<DemoOptions, 'briefFile' | 'aspect' | 'languages'>,
): Promise<CreateProjectRequest> {
  const file = options.briefFile ?? SAMPLE_BRIEF;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new DemoUsageError(
      `cannot read the brief ${file}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const isRequest = typeof json === 'object' && json !== null && 'creative_brief' in json;
  let request: CreateProjectRequest;
  if (isRequest) {
    const parsed = CreateProjectRequestSchema.safeParse(json);
    if (!parsed.success) throw new DemoUsageError(invalid(file, parsed.error));
    request = parsed.data;
  } else {
    const parsed = CreativeBriefSchema.safeParse(json);
    if (!parsed.success) throw new DemoUsageError(invalid(file, parsed.error));
    request = { name: `${parsed.data.brand_name} ad`, creative_brief: parsed.data };
  }
  if (options.aspect)
    request = { ...request, settings: { ...request.settings, aspect_ratio: options.aspect } };
  if (options.languages)
    request = { ...request, settings: { ...request.settings, languages: options.languages } };
  return request;
}

function invalid(file: string, error: Parameters<typeof zodIssuesToDetails>[0]): string {
  const details = zodIssuesToDetails(error).map((d) => `  ${d.path || '(root)'}: ${d.message}`);
  return `the brief ${file} is not valid:\n${details.join('\n')}`;
}
