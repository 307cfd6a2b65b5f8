// An ffmpeg filter graph built from named parts, in the spirit of Remotion's ffmpeg filter builder: each part
// brings its own input files and filter chains and names the one label it makes; the parts are joined by
// passing one part's output label to the next. composeGraph numbers the inputs of all the parts in order
// (every one through fileInput: file protocol only, the demuxer its extension names) and checks the wiring
// before ffmpeg sees it, because ffmpeg's own answer to a label used twice or never is a vague failure at
// run time, far from the part that got it wrong.
import { demuxerFor, fileInput } from './ffmpeg-input.js';

export interface GraphInput {
  path: string;
  /** Options that go before this input's `-i`, such as `-stream_loop -1`. */
  options?: readonly string[];
}

export interface GraphPart {
  /** What the part is, for a person reading an error: `the clip of scene 2`. */
  name: string;
  inputs: readonly GraphInput[];
  /** The part's filter chains, given the numbers its inputs got in the command (in the order of `inputs`). */
  filters: (inputs: readonly number[]) => readonly string[];
  /** The label the part makes for the next part; none for a part that only brings an input to map. */
  output?: string;
}

export interface ComposedGraph {
  /** Every input's arguments, in order. */
  inputArgs: string[];
  /** The `-filter_complex` value; empty when no part has a filter. */
  filterComplex: string;
  /** The numbers a part's inputs got, in the order of its `inputs`. */
  inputsOf: (part: GraphPart) => readonly number[];
}

/** A graph whose parts do not fit together: a bug in the code that built it, never in the user's media. */
export class FilterGraphError extends Error {
  override name = 'FilterGraphError';
}

const LEADING_LABELS = /^(?:\[[^\]]+\])+/;
const TRAILING_LABELS = /(?:\[[^\]]+\])+$/;
/** `[3:v:0]`, `[0:a]`: an input's stream, not a link label. */
const STREAM = /^(\d+)(?::|$)/;

function labelsIn(text: string | undefined): string[] {
  return [...(text ?? '').matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
}

/**
 * The parts as one graph. `mapped` names the labels the command maps to its outputs. Throws FilterGraphError
 * unless every label is made exactly once and then used exactly once (by another chain or a map), every
 * part makes the output it names, and every part reads only its own inputs' streams.
 */
export function composeGraph(parts: readonly GraphPart[], mapped: readonly string[] = []): ComposedGraph {
  const inputArgs: string[] = [];
  const numbers = new Map<GraphPart, number[]>();
  let next = 0;
  for (const part of parts) {
    if (numbers.has(part)) throw new FilterGraphError(`${part.name} is in the graph twice`);
    numbers.set(
      part,
      part.inputs.map((input) => {
        inputArgs.push(...fileInput(input.path, demuxerFor(input.path), input.options ?? []));
        return next++;
      }),
    );
  }

  const madeBy = new Map<string, string>();
  const usedBy = new Map<string, string>();
  const chains: string[] = [];
  for (const part of parts) {
    const own = numbers.get(part)!;
    const made: string[] = [];
    for (const chain of part.filters(own)) {
      chains.push(chain);
      for (const label of labelsIn(LEADING_LABELS.exec(chain)?.[0])) {
        const stream = STREAM.exec(label);
        if (stream) {
          if (!own.includes(Number(stream[1]))) {
            throw new FilterGraphError(`${part.name} reads input ${stream[1]}, which is not one of its own`);
          }
          continue;
        }
        const other = usedBy.get(label);
        if (other) throw new FilterGraphError(`[${label}] is used by both ${other} and ${part.name}`);
        usedBy.set(label, part.name);
      }
      for (const label of labelsIn(TRAILING_LABELS.exec(chain)?.[0])) {
        const other = madeBy.get(label);
        if (other) throw new FilterGraphError(`[${label}] is made by both ${other} and ${part.name}`);
        madeBy.set(label, part.name);
        made.push(label);
      }
    }
    if (part.output !== undefined && !made.includes(part.output)) {
      throw new FilterGraphError(`${part.name} names [${part.output}] as its output but does not make it`);
    }
  }
  for (const label of mapped) {
    const other = usedBy.get(label);
    if (other) throw new FilterGraphError(`[${label}] is both mapped and used by ${other}`);
    usedBy.set(label, 'the output');
  }
  for (const [label, user] of usedBy) {
    if (!madeBy.has(label)) throw new FilterGraphError(`${user} uses [${label}], which no part makes`);
  }
  for (const [label, maker] of madeBy) {
    if (!usedBy.has(label)) throw new FilterGraphError(`${maker} makes [${label}], which nothing uses`);
  }
  return {
    inputArgs,
    filterComplex: chains.join(';'),
    inputsOf: (part) => {
      const own = numbers.get(part);
      if (!own) throw new FilterGraphError(`${part.name} is not in the graph`);
      return own;
    },
  };
}
