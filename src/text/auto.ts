/**
 * Text vectors of a whole shop under --text-model (params.ts):
 *   - a model directory or name (or GRAPHPROF_TEXT_MODEL when --text-model is
 *     auto): that transformer for every text;
 *   - shop: the shop-trained encoder (shop-encoder.ts) for every text;
 *   - auto: per text by language (language.ts): English texts to the built-in
 *     USE-lite, every other language to the shop-trained encoder, texts
 *     without letters to whichever of the two has more texts.
 *
 * Vector spaces. The two encoders' vectors are not comparable (different
 * models, different sizes), so auto never averages across them. Each encoder
 * is one block of the text vector: an entity (user, product) whose texts fall
 * into blocks b with counts n_b gets [√(n_1/n)·t̂_1, √(n_2/n)·t̂_2], t̂_b the
 * unit mean of its vectors in block b (zero when it has none there), n = Σ n_b.
 * The row has unit length and the cosine of two entities is
 *   Σ_b √(n_b/n · n'_b/n') · cos(t̂_b, t̂'_b):
 * two English-writing users compare as under USE-lite alone, two
 * Chinese-writing users as under the shop encoder alone, and an English and a
 * Chinese writer have text cosine 0 (nothing known), not a meaningless
 * cross-model number. A shop whose texts all go one way has one block, so its
 * vectors are exactly that encoder's (an English shop's are USE-lite's, as
 * before auto existed).
 */
import { AbortedError, ModelError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import type { TextVectorCache } from './cache.js';
import { openTextEncoder } from './index.js';
import { languageOf } from './language.js';
import { normaliseText, textHash } from './normalize.js';
import { TEXT_MODEL_AUTO, TEXT_MODEL_SHOP, type TextPrecision } from './params.js';
import { encodeWithShopModel, loadShopModel, storeShopModel, trainShopEncoder, wordsModelId, type ShopEncoderModel } from './shop-encoder.js';
import { words } from './words.js';
import { cutText, readablePart, TEXT_LIMITS } from './limits.js';
import type { TextEncodingStats } from './stats.js';

export type { TextEncodingStats } from './stats.js';

export type TextRoute = 'transformer' | 'shop';

/** Where auto sends a text: English to the transformer, other languages to the shop encoder, no letters: undecided. */
export function routeOf(text: string): TextRoute | undefined {
  const lang = languageOf(words(cutText(text, TEXT_LIMITS.maxChars)));
  return lang === 'none' ? undefined : lang === 'en' ? 'transformer' : 'shop';
}

export interface TextBlock {
  route: TextRoute;
  modelId: string;
  dim: number;
  /** Row of each text in `vectors`, -1 for texts of another block. */
  rowOf: Int32Array;
  vectors: Float32Array;
}

export interface EncodedTexts {
  blocks: TextBlock[];
  /** The run's text model: the block model ids joined by " + ". */
  modelId: string;
  /** Every model id that put entries into the cache (to be written with the run). */
  cacheModelIds: string[];
  /** The shop-trained model used, if any (a refresh reuses it). */
  shopModelId?: string;
  /** The encoders used, in block order (a refresh keeps them). */
  routes: TextRoute[];
  stats: TextEncodingStats;
}

export interface EncodeTextsOptions {
  /** --text-model: auto (default), shop, or a model directory / cached name. */
  textModel?: string;
  precision?: TextPrecision;
  batchSize?: number;
  threads?: number;
  seed?: number;
  cache?: TextVectorCache;
  /** Reuse this stored shop-trained model instead of training one (refresh). */
  shopModel?: string;
  /**
   * Only these encoders (refresh: the base run's, so that its vectors keep
   * their layout); a text whose route is not among them goes to the other.
   */
  routes?: readonly TextRoute[];
  signal?: AbortSignal;
  /** One progress callback per phase: 'text model', 'text', 'text (shop)'. */
  progress?: (phase: string) => Progress;
}

/** The route of every text under `textModel`, within `allowed` encoders when given. */
export function routeTexts(texts: readonly string[], textModel: string, allowed?: readonly TextRoute[], env: NodeJS.ProcessEnv = process.env): TextRoute[] {
  const only = allowed !== undefined && allowed.length === 1 ? allowed[0] : undefined;
  if (only !== undefined) return texts.map(() => only);
  if (textModel === TEXT_MODEL_SHOP) return texts.map(() => 'shop');
  if (textModel !== TEXT_MODEL_AUTO || env.GRAPHPROF_TEXT_MODEL) return texts.map(() => 'transformer');
  const routes = texts.map(routeOf);
  const shop = routes.filter((r) => r === 'shop').length;
  const fallback: TextRoute = shop > routes.filter((r) => r === 'transformer').length ? 'shop' : 'transformer';
  return routes.map((r) => r ?? fallback);
}

function blockOf(route: TextRoute, members: number[], textCount: number, modelId: string, dim: number, vectors: Float32Array): TextBlock {
  const rowOf = new Int32Array(textCount).fill(-1);
  members.forEach((t, i) => (rowOf[t] = i));
  return { route, modelId, dim, rowOf, vectors };
}

async function transformerBlock(texts: string[], o: EncodeTextsOptions, stats: TextEncodingStats): Promise<{ modelId: string; dim: number; vectors: Float32Array }> {
  const dir = o.textModel === undefined || o.textModel === TEXT_MODEL_AUTO || o.textModel === TEXT_MODEL_SHOP ? undefined : o.textModel;
  const encoder = await openTextEncoder({
    modelDir: dir,
    precision: o.precision,
    batchSize: o.batchSize,
    threads: o.threads,
    cache: o.cache,
    signal: o.signal,
    onLoadProgress: o.progress?.('text model'),
  });
  try {
    encoder.onProgress = o.progress?.('text');
    const vectors = await encoder.encode(texts);
    const s = encoder.stats;
    stats.encoded += s.encoded;
    stats.cacheHits += s.cacheHits;
    stats.sessionRuns += s.sessionRuns;
    stats.truncated += s.truncated;
    return { modelId: encoder.modelId, dim: encoder.dim, vectors };
  } finally {
    await encoder.close();
  }
}

async function shopBlock(texts: string[], o: EncodeTextsOptions, stats: TextEncodingStats): Promise<{ modelId: string; dim: number; vectors: Float32Array }> {
  let model: ShopEncoderModel | undefined;
  if (o.shopModel === undefined) {
    model = await trainShopEncoder(texts, { seed: o.seed, threads: o.threads, signal: o.signal, onProgress: o.progress?.('text (shop)') });
    if (o.cache) storeShopModel(o.cache, model);
  } else if (!o.cache) {
    throw new ModelError(`encodeTexts: the shop-trained text model ${o.shopModel} can only be reused from the text cache it is stored in; pass that cache`);
  }
  const id = model?.id ?? o.shopModel!;
  const hashes = texts.map((t) => textHash(normaliseText(readablePart(t))));
  const known = o.cache?.get(id, [...new Set(hashes)]) ?? new Map<string, Float32Array>();
  const missing = texts.flatMap((_, i) => (known.has(hashes[i]!) ? [] : [i]));
  const missingTexts = missing.map((i) => texts[i]!);
  if (o.signal?.aborted) throw new AbortedError('text encoding');
  model ??= loadShopModel(o.cache!, id, missingTexts);
  const dim = model.dim;
  const fresh = encodeWithShopModel(model, missingTexts);
  const vectors = new Float32Array(texts.length * dim);
  texts.forEach((_, i) => {
    const v = known.get(hashes[i]!);
    if (v) vectors.set(v, i * dim);
  });
  const row = (k: number): Float32Array => fresh.vectors.subarray(k * dim, (k + 1) * dim);
  missing.forEach((i, k) => vectors.set(row(k), i * dim));
  if (o.cache && missing.length > 0) o.cache.put(id, missing.map((i, k) => ({ hash: hashes[i]!, vector: row(k) })));
  stats.cacheHits += texts.length - missing.length;
  stats.encoded += missing.length;
  stats.truncated += fresh.truncated;
  return { modelId: id, dim, vectors };
}

/** Encodes distinct, normalised texts as set by `o.textModel` (see the file comment). */
export async function encodeTexts(texts: string[], o: EncodeTextsOptions = {}): Promise<EncodedTexts> {
  const routes = routeTexts(texts, o.textModel ?? TEXT_MODEL_AUTO, o.routes);
  const stats: TextEncodingStats = { texts: texts.length, encoded: 0, cacheHits: 0, sessionRuns: 0, truncated: 0, byModel: {} };
  const blocks: TextBlock[] = [];
  const cacheModelIds: string[] = [];
  let shopModelId: string | undefined;
  for (const route of ['transformer', 'shop'] as const) {
    const members = routes.flatMap((r, i) => (r === route ? [i] : []));
    if (members.length === 0) continue;
    const subset = members.map((i) => texts[i]!);
    const b = route === 'transformer' ? await transformerBlock(subset, o, stats) : await shopBlock(subset, o, stats);
    blocks.push(blockOf(route, members, texts.length, b.modelId, b.dim, b.vectors));
    stats.byModel[b.modelId] = members.length;
    cacheModelIds.push(b.modelId);
    if (route === 'shop') {
      shopModelId = b.modelId;
      if (o.shopModel === undefined) cacheModelIds.push(wordsModelId(b.modelId));
    }
  }
  return { blocks, modelId: blocks.map((b) => b.modelId).join(' + '), cacheModelIds, shopModelId, routes: blocks.map((b) => b.route), stats };
}

/**
 * An entity's documents as two columns, pair i = (entity[i], text[i]): typed
 * arrays rather than a [row, text] tuple per review. entity -1: none (skipped).
 */
export interface EntityDocs {
  entity: Int32Array;
  /** Text index into the encoded texts. */
  text: Uint32Array;
}

/**
 * One text vector per entity from its documents (`docs`), in the block layout
 * of the file comment: rows x Σ block dims, and which entities had any text.
 */
export function entityTextVectors(enc: EncodedTexts, docs: EntityDocs, entities: number): { vectors: Float32Array; hasText: Uint8Array; dim: number } {
  const dim = enc.blocks.reduce((s, b) => s + b.dim, 0);
  const out = new Float32Array(entities * dim);
  const hasText = new Uint8Array(entities);
  const total = new Uint32Array(entities);
  const counts = enc.blocks.map(() => new Uint32Array(entities));
  // Float32 sums in document order, then division by the norm: with one block this is exactly
  // the per-entity mean vector graphprof computed before blocks existed.
  const sums = enc.blocks.map((b) => new Float32Array(entities * b.dim));
  for (let i = 0; i < docs.entity.length; i++) {
    const e = docs.entity[i]!;
    const t = docs.text[i]!;
    if (e < 0) continue;
    enc.blocks.forEach((b, k) => {
      const row = b.rowOf[t]!;
      if (row < 0) return;
      const v = b.vectors.subarray(row * b.dim, (row + 1) * b.dim);
      if (v.every((x) => x === 0)) return;
      const s = sums[k]!;
      for (let d = 0; d < b.dim; d++) s[e * b.dim + d]! += v[d]!;
      counts[k]![e]!++;
      total[e]!++;
    });
  }
  let offset = 0;
  enc.blocks.forEach((b, k) => {
    const s = sums[k]!;
    for (let e = 0; e < entities; e++) {
      const n = counts[k]![e]!;
      if (n === 0) continue;
      const row = s.subarray(e * b.dim, (e + 1) * b.dim);
      let sq = 0;
      for (let d = 0; d < b.dim; d++) sq += row[d]! * row[d]!;
      const norm = Math.sqrt(sq);
      if (norm === 0) continue;
      const share = enc.blocks.length > 1 ? Math.sqrt(n / total[e]!) : 1;
      for (let d = 0; d < b.dim; d++) out[e * dim + offset + d] = share === 1 ? row[d]! / norm : (row[d]! / norm) * share;
      hasText[e] = 1;
    }
    offset += b.dim;
  });
  return { vectors: out, hasText, dim };
}
