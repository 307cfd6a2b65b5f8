// The stand-in's other languages: a deterministic pseudo-translation for the `translate` and `shorten`
// answers, and the eSpeak-NG voice that speaks a line. A translation is not a real one: each word of the
// source line becomes a word of the target language's own vocabulary (picked by a hash of the word, so
// the same line always translates the same), in its own script, and the brand name is kept as written; a
// German line comes out longer than its English, as real German does (tests rely on both). That is enough
// for what the tests check: that captions draw each script readably (OCR reads them back), that Japanese
// breaks by characters and Arabic runs right to left, and that a line too long for its scene is caught.
import { createHash } from 'node:crypto';
import { joinWords, wordsOf } from '@reelforge/schema';

/** Common words of each language, in its script: the pseudo-translation's vocabulary. */
const VOCABULARY: Record<string, readonly string[]> = {
  es: [
    'café',
    'frío',
    'mañana',
    'ciudad',
    'sabor',
    'real',
    'listo',
    'cuando',
    'quieras',
    'nuevo',
    'día',
    'fuerte',
    'suave',
    'siempre',
    'contigo',
    'ahora',
    'mejor',
    'camino',
    'despierta',
    'vive',
  ],
  de: [
    'Kaffee',
    'Morgenstunde',
    'Großstadtleben',
    'Geschmack',
    'wirklich',
    'bereit',
    'wann',
    'immer',
    'Erfrischung',
    'Tagesanbruch',
    'kräftig',
    'sanft',
    'zusammen',
    'jetzt',
    'Lieblingsgetränk',
    'unterwegs',
    'aufwachen',
    'Lebensfreude',
    'Kaltgetränk',
    'Wochenende',
  ],
  fr: [
    'café',
    'froid',
    'matin',
    'ville',
    'goût',
    'vrai',
    'prêt',
    'quand',
    'toujours',
    'nouveau',
    'jour',
    'fort',
    'doux',
    'ensemble',
    'maintenant',
    'meilleur',
    'chemin',
    'réveil',
    'vivre',
    'plaisir',
  ],
  it: [
    'caffè',
    'freddo',
    'mattina',
    'città',
    'sapore',
    'vero',
    'pronto',
    'quando',
    'sempre',
    'nuovo',
    'giorno',
    'forte',
    'dolce',
    'insieme',
    'adesso',
    'meglio',
    'strada',
    'sveglia',
    'vivere',
    'piacere',
  ],
  pt: [
    'café',
    'gelado',
    'manhã',
    'cidade',
    'sabor',
    'real',
    'pronto',
    'quando',
    'sempre',
    'novo',
    'dia',
    'forte',
    'suave',
    'juntos',
    'agora',
    'melhor',
    'caminho',
    'acorde',
    'viver',
    'prazer',
  ],
  ru: [
    'кофе',
    'холодный',
    'утро',
    'город',
    'вкус',
    'настоящий',
    'готов',
    'когда',
    'всегда',
    'новый',
    'день',
    'сильный',
    'мягкий',
    'вместе',
    'сейчас',
    'лучше',
    'дорога',
    'проснись',
    'живи',
    'радость',
  ],
  el: [
    'καφές',
    'κρύος',
    'πρωί',
    'πόλη',
    'γεύση',
    'αληθινός',
    'έτοιμος',
    'όταν',
    'πάντα',
    'νέος',
    'μέρα',
    'δυνατός',
    'απαλός',
    'μαζί',
    'τώρα',
    'καλύτερα',
    'δρόμος',
    'ξύπνα',
    'ζήσε',
    'χαρά',
  ],
  ar: [
    'قهوة',
    'باردة',
    'صباح',
    'مدينة',
    'طعم',
    'حقيقي',
    'جاهز',
    'عندما',
    'دائما',
    'جديد',
    'يوم',
    'قوي',
    'ناعم',
    'معا',
    'الآن',
    'أفضل',
    'طريق',
    'استيقظ',
    'عش',
    'فرح',
  ],
  he: [
    'קפה',
    'קר',
    'בוקר',
    'עיר',
    'טעם',
    'אמיתי',
    'מוכן',
    'כאשר',
    'תמיד',
    'חדש',
    'יום',
    'חזק',
    'רך',
    'ביחד',
    'עכשיו',
    'טוב',
    'דרך',
    'להתעורר',
    'לחיות',
    'שמחה',
  ],
  ja: [
    'コーヒー',
    '冷たい',
    '朝',
    '街',
    '味',
    '本物',
    '準備',
    'いつでも',
    '新しい',
    '一日',
    '強い',
    '優しい',
    '一緒に',
    '今',
    'もっと',
    '道',
    '目覚め',
    '生きる',
    '喜び',
    '毎日',
  ],
  zh: [
    '咖啡',
    '冰爽',
    '早晨',
    '城市',
    '味道',
    '真正',
    '准备',
    '随时',
    '新鲜',
    '一天',
    '浓郁',
    '柔和',
    '一起',
    '现在',
    '更好',
    '道路',
    '醒来',
    '生活',
    '快乐',
    '每天',
  ],
};

/** Latin-script languages without a vocabulary of their own borrow Spanish's (the script is what matters). */
function vocabularyOf(code: string): readonly string[] {
  return VOCABULARY[code] ?? VOCABULARY.es!;
}

const FULL_STOP: Record<string, string> = { ja: '。', zh: '。', ar: '.', he: '.' };

function pick(list: readonly string[], word: string, salt: string): string {
  const digest = createHash('sha256').update(`${salt}|${word.toLowerCase()}`).digest();
  return list[digest.readUInt32BE(0) % list.length]!;
}

/** `es-MX` -> `es`. */
export function primaryOf(tag: string): string {
  return tag.split('-')[0]!.toLowerCase();
}

/** The line in `tag`: each word a word of that language, the brand's words as written, the end punctuation
 * kept (in the script's own full stop). */
export function pseudoTranslate(line: string, tag: string, brand: string): string {
  const code = primaryOf(tag);
  const vocabulary = vocabularyOf(code);
  const brandWords = new Set(brand.toLowerCase().split(/\s+/));
  const words = wordsOf(line).map((token) => {
    const bare = token.replace(/[^\p{L}\p{N}'’-]/gu, '');
    return brandWords.has(bare.toLowerCase()) ? bare : pick(vocabulary, bare, code);
  });
  const ending = /[.!?]$/.test(line.trim()) ? (FULL_STOP[code] ?? line.trim().slice(-1)) : '';
  return `${joinWords(words, tag)}${ending}`;
}

/** The same line said in about `share` of its words (at least one; the brand's words are kept first). */
export function pseudoShorten(line: string, tag: string, share: number): string {
  const words = wordsOf(line, tag);
  const keep = Math.max(1, Math.floor(words.length * Math.min(1, Math.max(0.1, share))));
  return joinWords(words.slice(0, keep), tag);
}

/** The eSpeak-NG voice for a language tag (its dictionaries ship with the npm build). */
const ESPEAK_VOICES: Record<string, string> = {
  en: 'en-us',
  zh: 'cmn',
  pt: 'pt-br',
  nb: 'nb',
  no: 'nb',
};

export function espeakVoice(tag: string): string {
  const code = primaryOf(tag);
  return ESPEAK_VOICES[code] ?? code;
}

/** The language a speech request asks for: named in its instructions ("Speak in Spanish (es)"), else told
 * by the text's script, else English. */
export function speechLanguage(text: string, instructions: string | undefined): string {
  const named = /\bSpeak in [^()]*\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\)/.exec(instructions ?? '');
  if (named) return named[1]!;
  if (/[\u0600-\u06ff]/.test(text)) return 'ar';
  if (/[\u0590-\u05ff]/.test(text)) return 'he';
  if (/[\u3040-\u30ff]/.test(text)) return 'ja';
  if (/[\u4e00-\u9fff]/.test(text)) return 'zh';
  if (/[\u0400-\u04ff]/.test(text)) return 'ru';
  if (/[\u0370-\u03ff]/.test(text)) return 'el';
  return 'en';
}
