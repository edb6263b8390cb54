/**
 * Tokenizer for any model directory with a Hugging Face tokenizer.json,
 * through @lenml/tokenizers (the tokenizer half of transformers.js). The
 * encoder needs the content ids of a text apart from the special tokens the
 * model wraps around every sequence ([CLS] … [SEP] for BERT-style models,
 * nothing for USE-lite), so that long texts can be cut into windows that each
 * get their own special tokens.
 *
 * Speed: the library's Unigram model re-slices the rest of the string at
 * every position (quadratic in the length of a pre-token). SentencePiece
 * vocabularies such as USE-lite's have no piece with a "▁" after its first
 * character, so every segmentation breaks before each "▁"; splitting the
 * normalised text into "▁word" pieces first gives the same ids in linear
 * time. withWordSplit() adds that split (a Split pre-tokenizer) only when this
 * holds for the vocabulary. Reviews repeat their words a lot, so the
 * Unigram model's per-pre-token results are also memoised (exact: the model
 * encodes each pre-token on its own). For the plain SentencePiece shape of
 * USE-lite's tokenizer.json, unigram.ts replaces the library altogether with
 * an exact and ~9x faster re-implementation (see there why and how it is
 * checked).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TokenizerLoader } from '@lenml/tokenizers';
import { ModelError } from '../util/errors.js';
import { FastUnigram, unigramShapeOf } from './unigram.js';

export interface TextTokenizer {
  /** Ids of the text without special tokens. */
  encodeContent(text: string): number[];
  /** Special ids put before / after every sequence. */
  readonly prefix: readonly number[];
  readonly suffix: readonly number[];
  /** 1 + the largest id the tokenizer can produce. */
  readonly vocabSize: number;
}

type LenmlTokenizer = ReturnType<typeof TokenizerLoader.fromPreTrained>;

async function readJson(file: string, required: boolean): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    if (required) throw new ModelError(`loadTokenizer: ${file} is missing; a model directory needs a Hugging Face tokenizer.json`);
    return undefined;
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new ModelError(`loadTokenizer: ${file} is not valid JSON (${(e as Error).message})`);
  }
}

/** Largest id named by tokenizer.json (model vocab and added tokens), plus one. */
function vocabSizeOf(json: Record<string, unknown>): number {
  let max = -1;
  const model = json.model as { vocab?: unknown } | undefined;
  const vocab = model?.vocab;
  if (Array.isArray(vocab)) max = vocab.length - 1;
  else if (vocab && typeof vocab === 'object') for (const id of Object.values(vocab)) if (typeof id === 'number' && id > max) max = id;
  const added = json.added_tokens;
  if (Array.isArray(added)) for (const t of added) if (typeof (t as { id?: unknown }).id === 'number') max = Math.max(max, (t as { id: number }).id);
  return max + 1;
}

const META = '\u2581';

/** tokenizer.json with a "▁word" Split pre-tokenizer, when that cannot change any segmentation. */
export function withWordSplit(json: Record<string, unknown>): Record<string, unknown> {
  const model = json.model as { type?: unknown; vocab?: unknown } | undefined;
  if (model?.type !== 'Unigram' || !Array.isArray(model.vocab)) return json;
  const interior = (model.vocab as unknown[]).some((e) => Array.isArray(e) && typeof e[0] === 'string' && e[0].indexOf(META, 1) >= 0);
  const pre = json.pre_tokenizer as { type?: unknown } | null | undefined;
  if (interior || (pre != null && pre.type !== 'Metaspace')) return json;
  const split = { type: 'Split', pattern: { Regex: `${META}[^${META}]*|[^${META}]+` }, behavior: 'Isolated', invert: true };
  return { ...json, pre_tokenizer: pre == null ? split : { type: 'Sequence', pretokenizers: [pre, split] } };
}

const MEMO_LIMIT = 200_000;

/** Memoises a Unigram model's encode() per pre-token. */
function memoiseUnigram(tok: LenmlTokenizer): void {
  const model = tok.model;
  const encode = model.encode.bind(model);
  const memo = new Map<string, string[]>();
  model.encode = (tokens: string[]): string[] => {
    const out: string[] = [];
    for (const t of tokens) {
      let pieces = memo.get(t);
      if (pieces === undefined) {
        pieces = encode([t]);
        if (memo.size >= MEMO_LIMIT) memo.clear();
        memo.set(t, pieces);
      }
      for (const p of pieces) out.push(p);
    }
    return out;
  };
}

/** Special ids around a probe text: encode with and without them and locate the content. */
function specialIds(tok: LenmlTokenizer): { prefix: number[]; suffix: number[] } {
  const probe = 'graphprof probe text';
  const bare = tok.encode(probe, { add_special_tokens: false });
  const full = tok.encode(probe, { add_special_tokens: true });
  for (let start = 0; start + bare.length <= full.length; start++) {
    if (bare.every((id, i) => full[start + i] === id)) return { prefix: full.slice(0, start), suffix: full.slice(start + bare.length) };
  }
  throw new ModelError('loadTokenizer: cannot separate the special tokens of this tokenizer from the text tokens');
}

export interface LoadTokenizerOptions {
  /** false: always use @lenml/tokenizers (the reference the fast path is tested against). */
  fast?: boolean;
}

export async function loadTokenizer(dir: string, opts: LoadTokenizerOptions = {}): Promise<TextTokenizer> {
  const tokenizerJSON = (await readJson(path.join(dir, 'tokenizer.json'), true))!;
  const shape = opts.fast === false ? undefined : unigramShapeOf(tokenizerJSON);
  if (shape) {
    const fast = new FastUnigram(shape);
    return { encodeContent: (text) => fast.encode(text), prefix: [], suffix: [], vocabSize: vocabSizeOf(tokenizerJSON) };
  }
  const tokenizerConfig = (await readJson(path.join(dir, 'tokenizer_config.json'), false)) ?? {};
  let tok: LenmlTokenizer;
  try {
    tok = TokenizerLoader.fromPreTrained({ tokenizerJSON: withWordSplit(tokenizerJSON), tokenizerConfig });
  } catch (e) {
    throw new ModelError(`loadTokenizer: ${path.join(dir, 'tokenizer.json')} cannot be loaded: ${(e as Error).message}`);
  }
  if ((tokenizerJSON.model as { type?: unknown } | undefined)?.type === 'Unigram') memoiseUnigram(tok);
  const { prefix, suffix } = specialIds(tok);
  return {
    encodeContent: (text) => tok.encode(text, { add_special_tokens: false }),
    prefix,
    suffix,
    vocabSize: vocabSizeOf(tokenizerJSON),
  };
}
