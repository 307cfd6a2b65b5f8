// Fault knobs: rules set globally through the admin API, or a marker `[[standin:<fault>]]` inside a prompt
// for one request. A rule matches by target (openai | replicate), optionally by kind (the response schema
// name for openai: moods, storyboard, scene_text, composition; image | video | audio for replicate), model,
// a substring of the prompt, and the request it applies to; `after` lets that many matching requests pass
// first (e.g. fail only the second create of a batch); `times` limits how often it fires.

export const FAULTS = [
  'http_500',
  'http_429',
  'http_422',
  'hang',
  'drop_webhook',
  'slow',
  'truncated',
  'refused',
  'fail_prediction',
  'expire_output',
  'insufficient_quota',
  'verbose_logs',
  'black_video',
] as const;
export type Fault = (typeof FAULTS)[number];

/** What each fault does, for `--help` and the admin API's GET. */
export const FAULT_HELP: Record<Fault, string> = {
  http_500: 'the API request answers 500 (openai: chat completion; replicate: see `on`)',
  http_429: 'the API request answers 429 with Retry-After: 1',
  http_422: 'the API request answers 422 (validation failed)',
  hang: 'the API request never answers (until the client gives up or the stand-in closes)',
  drop_webhook: "the prediction's `completed` webhook is never sent (start/logs still are)",
  slow: 'the API answer waits `slowMs`; a prediction also runs `slowFactor` times longer',
  truncated: 'openai: the answer is cut in half with finish_reason "length"',
  refused: 'openai: the model refuses (message.refusal); replicate: the prediction fails as NSFW',
  fail_prediction: 'replicate: the prediction fails with a transient-looking model error',
  expire_output: "replicate: the prediction's output URLs answer 404 from the moment it succeeds",
  insufficient_quota: 'openai: 429 insufficient_quota (the account is out of credit; waiting does not help)',
  black_video: 'replicate: a video prediction succeeds with a clip that is black from start to end',
  verbose_logs:
    'replicate: the model prints `verboseLogsBytes` of library warnings while it runs, so its webhook bodies ' +
    '(each carries the whole log so far) grow that large',
};

export type FaultTarget = 'openai' | 'replicate';
/** The replicate request a rule's HTTP faults apply to; prediction faults always attach at create. */
export type FaultRequest = 'create' | 'get' | 'cancel';

export interface FaultRule {
  target: FaultTarget;
  fault: Fault;
  kind?: string;
  model?: string;
  match?: string;
  on?: FaultRequest;
  after?: number;
  times?: number;
}

export interface StoredRule extends FaultRule {
  id: number;
  fired: number;
  /** Matching requests let through so far (see `after`). */
  passed: number;
}

export interface FaultContext {
  target: FaultTarget;
  kind?: string;
  model?: string;
  /** Prompt text (all messages for openai, the input prompt for replicate). */
  text: string;
  on?: FaultRequest;
}

const MARKER = /\[\[standin:([a-z_0-9]+)\]\]/g;

function isFault(value: unknown): value is Fault {
  return typeof value === 'string' && (FAULTS as readonly string[]).includes(value);
}

/** Faults named by `[[standin:<fault>]]` markers in a prompt (unknown names are ignored). */
export function markerFaults(text: string): Fault[] {
  const found: Fault[] = [];
  for (const match of text.matchAll(MARKER)) {
    if (isFault(match[1]) && !found.includes(match[1])) found.push(match[1]);
  }
  return found;
}

/** Validates one rule from the admin API; returns an error message or the rule. */
export function parseRule(value: unknown): FaultRule | string {
  if (typeof value !== 'object' || value === null) return 'a rule is an object';
  const raw = value as Record<string, unknown>;
  if (raw.target !== 'openai' && raw.target !== 'replicate') return 'target must be "openai" or "replicate"';
  if (!isFault(raw.fault)) return `fault must be one of ${FAULTS.join(', ')}`;
  const rule: FaultRule = { target: raw.target, fault: raw.fault };
  for (const key of ['kind', 'model', 'match'] as const) {
    if (raw[key] !== undefined) {
      if (typeof raw[key] !== 'string') return `${key} must be a string`;
      rule[key] = raw[key];
    }
  }
  if (raw.on !== undefined) {
    if (raw.on !== 'create' && raw.on !== 'get' && raw.on !== 'cancel')
      return 'on must be create, get or cancel';
    rule.on = raw.on;
  }
  if (raw.after !== undefined) {
    if (typeof raw.after !== 'number' || !Number.isInteger(raw.after) || raw.after < 0) {
      return 'after must be a non-negative integer';
    }
    rule.after = raw.after;
  }
  if (raw.times !== undefined) {
    if (typeof raw.times !== 'number' || !Number.isInteger(raw.times) || raw.times < 1) {
      return 'times must be a positive integer';
    }
    rule.times = raw.times;
  }
  return rule;
}

export class FaultBook {
  private rules: StoredRule[] = [];
  private nextId = 1;

  add(rule: FaultRule): StoredRule {
    const stored: StoredRule = { ...rule, id: this.nextId, fired: 0, passed: 0 };
    this.nextId += 1;
    this.rules.push(stored);
    return stored;
  }

  clear(): void {
    this.rules = [];
  }

  list(): StoredRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** Faults for this request: its markers plus every matching rule (each firing counts against `times`). */
  take(context: FaultContext): Fault[] {
    const faults = markerFaults(context.text);
    const on = context.on ?? 'create';
    for (const rule of this.rules) {
      if (rule.target !== context.target) continue;
      const ruleOn = isPredictionFault(rule.fault) ? 'create' : (rule.on ?? 'create');
      if (ruleOn !== on) continue;
      if (rule.kind !== undefined && rule.kind !== context.kind) continue;
      if (rule.model !== undefined && rule.model !== context.model) continue;
      if (rule.match !== undefined && !context.text.includes(rule.match)) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      if (rule.passed < (rule.after ?? 0)) {
        rule.passed += 1;
        continue;
      }
      rule.fired += 1;
      if (!faults.includes(rule.fault)) faults.push(rule.fault);
    }
    this.rules = this.rules.filter((rule) => rule.times === undefined || rule.fired < rule.times);
    return faults;
  }
}

/** Faults that shape a prediction's life rather than an HTTP answer. */
export function isPredictionFault(fault: Fault): boolean {
  return (
    fault === 'drop_webhook' ||
    fault === 'fail_prediction' ||
    fault === 'expire_output' ||
    fault === 'refused'
  );
}
