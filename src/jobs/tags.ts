/**
 * Tags of a run (issue 14): the train job fits a tag model on the shop (the
 * built-in set or a tag file, plus one interest tag per category) from the
 * review text vectors the profiles were made with, one text space per
 * encoder block (USE-lite for English, the shop-trained encoder for other
 * languages: each embeds the tag phrases itself); refresh rescores every user
 * with its base run's model, so scores and thresholds mean the same.
 */
import type { ShopData } from '../ingest/records.js';
import { ModelError } from '../util/errors.js';
import { encodeWithShopModel, loadShopModel } from '../text/shop-encoder.js';
import { openTextEncoder, TEXT_MODEL_AUTO, TEXT_MODEL_SHOP, type OpenedTextEncoder, type TextPrecision, type TextVectorCache } from '../text/index.js';
import { routeOf, type TextBlock } from '../text/auto.js';
import { DEFAULT_TAGS, fitTagModel, interestTags, readTagFile, scoreTags, tagInputFromRecords, type FitTextSpace, type TagDefinition, type TagInput, type TagModel, type TagScores, type TextSpace } from '../tags/index.js';
import type { Profiles, ReviewTexts } from './profiles.js';

/**
 * The tag input of a shop (user rows as `userIds`) and its review text spaces,
 * one per encoder block, in the order of `spaceIds` when given (a stored
 * model's spaces: reviews of a block the model lacks count as without text).
 */
export function tagInputOf(data: ShopData, userIds: readonly string[], texts: ReviewTexts | null, spaceIds?: readonly { id: string; dim: number }[]): { input: TagInput; spaces: TextSpace[]; blocks: TextBlock[] } {
  const blocks = texts?.blocks ?? [];
  const ids = spaceIds?.map((s) => s.id) ?? blocks.map((b) => b.modelId);
  const spaceOfBlock = blocks.map((b) => ids.indexOf(b.modelId));
  const where = (i: number): [number, number] => {
    const t = texts ? texts.textOfReview[i]! : -1;
    if (t < 0) return [0, -1];
    for (const [k, b] of blocks.entries()) if (b.rowOf[t]! >= 0) return spaceOfBlock[k]! < 0 ? [0, -1] : [spaceOfBlock[k]!, b.rowOf[t]!];
    return [0, -1];
  };
  const input = tagInputFromRecords({
    userIds,
    reviews: data.reviews,
    products: data.products,
    textRow: (i) => where(i)[1],
    ...(ids.length > 1 ? { spaceOf: (i: number) => where(i)[0] } : {}),
  });
  const spaces = ids.map((id, k): TextSpace => {
    const b = blocks.find((x) => x.modelId === id);
    return b ? { id, dim: b.dim, vectors: b.vectors } : { id, dim: spaceIds?.[k]?.dim ?? 1, vectors: new Float32Array(0) };
  });
  return { input, spaces, blocks };
}

/** The shop's categories, most reviewed first (the interest tags). */
function categoriesOf(data: ShopData): string[] {
  const n = new Map<string, number>();
  const t = data.reviews;
  const perProduct = new Uint32Array(t.productKeys.length);
  for (let r = 0; r < t.count; r++) perProduct[t.product[r]!]++;
  // A category counts each review of each product it lists (as many times as the product lists it).
  for (let k = 0; k < perProduct.length; k++) {
    if (perProduct[k] === 0) continue;
    for (const c of data.products.get(t.productKeys[k]!)?.categories ?? []) n.set(c, (n.get(c) ?? 0) + perProduct[k]!);
  }
  return [...n].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c]) => c);
}

export interface RunTagOptions {
  /** A tag file (YAML or JSON); absent: the built-in set. */
  tagFile?: string;
  threshold?: number;
  /** How the run's transformer block was opened (to embed English phrases with the same model). */
  textModel: string;
  textPrecision: TextPrecision;
  batchSize?: number;
  threads?: number;
  /** Holds the shop-trained model of the run (its word vectors). */
  cache: TextVectorCache;
}

/** The tags to fit: the file's (or the built-in ones), plus an interest tag per category the file does not name. */
export async function tagDefinitions(data: ShopData, tagFile: string | undefined): Promise<TagDefinition[]> {
  const base = tagFile ? await readTagFile(tagFile) : [...DEFAULT_TAGS];
  const names = new Set(base.map((t) => t.name));
  return [...base, ...interestTags(categoriesOf(data)).filter((t) => !names.has(t.name))];
}

/** Fits the run's tag model and scores every user (rows of profiles.users). */
export async function fitRunTags(data: ShopData, profiles: Profiles, o: RunTagOptions): Promise<{ model: TagModel; scores: TagScores }> {
  const tags = await tagDefinitions(data, o.tagFile);
  const { input, spaces, blocks } = tagInputOf(data, profiles.users.ids, profiles.reviewTexts);
  const opened: OpenedTextEncoder[] = [];
  const fitSpaces: FitTextSpace[] = blocks.map((b, k) => ({
    ...spaces[k]!,
    // With two encoders each embeds the phrases of its languages; a single one gets them all (and drops what it cannot embed).
    ...(blocks.length > 1 ? { acceptsPhrase: (p: string) => (routeOf(p) ?? 'transformer') === b.route } : {}),
    encode: async (phrases: string[]) => {
      if (b.route === 'shop') return encodeWithShopModel(loadShopModel(o.cache, b.modelId, phrases), phrases).vectors;
      const dir = o.textModel === TEXT_MODEL_AUTO || o.textModel === TEXT_MODEL_SHOP ? undefined : o.textModel;
      const enc = await openTextEncoder({ modelDir: dir, precision: o.textPrecision, batchSize: o.batchSize, threads: o.threads });
      opened.push(enc);
      if (enc.modelId !== b.modelId) throw new ModelError(`fitRunTags: the tag phrases would be embedded by ${enc.modelId}, but the reviews were embedded by ${b.modelId}`);
      return enc.encode(phrases);
    },
  }));
  try {
    return await fitTagModel(tags, input, fitSpaces, { threshold: o.threshold });
  } finally {
    for (const e of opened) await e.close();
  }
}

/** Scores every user of a refreshed shop with its base run's model (a refresh keeps its base run's encoders). */
export function rescoreRunTags(model: TagModel, data: ShopData, profiles: Profiles): TagScores {
  const { input, spaces } = tagInputOf(data, profiles.users.ids, profiles.reviewTexts, model.spaces);
  return scoreTags(model, input, spaces);
}
