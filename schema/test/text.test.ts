// The text builders every string field of the schema is made from.
import { describe, expect, it } from 'vitest';
import { CreativeBriefSchema, displayString, plainString, text } from '../src/index.js';

describe('plainString', () => {
  it('refuses lone surrogates and C0 controls other than tab and newline', () => {
    for (const bad of ['a\uD800', '\uDC00b', 'a\u0000', 'x\ry', 'bell\u0007', 'del\u007F']) {
      expect(plainString().safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    for (const good of ['a\tb\nc', 'emoji \uD83D\uDE00', 'עברית', '\u202Eok here']) {
      expect(plainString().safeParse(good).success, JSON.stringify(good)).toBe(true);
    }
  });
});

describe('displayString', () => {
  it('also refuses bidirectional override and isolate controls', () => {
    for (const c of [
      '\u202A',
      '\u202B',
      '\u202C',
      '\u202D',
      '\u202E',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
    ]) {
      expect(displayString().safeParse(`a${c}b`).success).toBe(false);
    }
    expect(displayString().safeParse('اطلب اليوم').success).toBe(true);
  });
});

it('text() keeps trimming and bounds, and a brief names the bad field', () => {
  expect(text(5).parse('  abc  ')).toBe('abc');
  expect(text(2).safeParse('abc').success).toBe(false);
  const brief = {
    brand_name: 'Acme\u2066',
    product_description: 'p',
    target_audience: 't',
    key_message: 'k\uD800',
    tone: 'warm',
  };
  const issues = CreativeBriefSchema.safeParse(brief).error!.issues.map((i) => i.path.join('.'));
  expect(issues.sort()).toEqual(['brand_name', 'key_message']);
});
