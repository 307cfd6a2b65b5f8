// The demo's command line, read by node:util's parseArgs like the other scripts': flags with a value in
// either form, help, and every mistake refused as a usage error that names the flag.
import { describe, expect, it } from 'vitest';
import { LIMITS } from '@reelforge/schema';
import { DEFAULT_OUT_DIR, DEFAULT_SCENES, DemoUsageError, parseDemoArgs } from '../../scripts/demo/args.js';

describe('demo arguments', () => {
  it('defaults to the sample brief, the default scene count and out/demo', () => {
    expect(parseDemoArgs([])).toEqual({
      help: false,
      options: { scenes: DEFAULT_SCENES, outDir: DEFAULT_OUT_DIR },
    });
  });

  it('reads every flag, with its value after a space or an equals sign', () => {
    expect(parseDemoArgs(['--brief', 'b.json', '--scenes=3', '--aspect', '16:9', '--out=dir'])).toEqual({
      help: false,
      options: { briefFile: 'b.json', scenes: 3, aspect: '16:9', outDir: 'dir' },
    });
    const withLanguages = {
      help: false,
      options: { scenes: DEFAULT_SCENES, outDir: DEFAULT_OUT_DIR, languages: ['en', 'es-MX'] },
    };
    expect(parseDemoArgs(['--languages', 'en, es-mx'])).toEqual(withLanguages);
    expect(parseDemoArgs(['--languages=en,es-mx'])).toEqual(withLanguages);
  });

  it.each([[['--help']], [['-h']], [['--scenes', '3', '--help']]])('%j asks for the usage', (argv) => {
    expect(parseDemoArgs(argv)).toEqual({ help: true });
  });

  it.each([
    [['--scenes'], /--scenes/],
    [['--brief', '--scenes', '3'], /--brief/],
    [['--out='], /--out needs a value/],
    [['--scenes', '2.5'], /--scenes must be a whole number/],
    [['--scenes', String(LIMITS.MAX_SCENES + 1)], /--scenes must be a whole number/],
    [['--aspect', '3:2'], /--aspect must be/],
    [['--languages', 'en,ko'], /--languages: "ko" is not a language the ad can be made in/],
    [['--languages', 'en,en'], /--languages: a language is listed twice/],
    [['--colour', 'red'], /--colour/],
    [['extra'], /extra/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseDemoArgs(argv)).toThrow(DemoUsageError);
    expect(() => parseDemoArgs(argv)).toThrow(message);
  });
});
