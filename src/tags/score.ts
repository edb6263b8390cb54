/**
 * Tag scores per user, from text and behaviour, calibrated against the shop.
 *
 * Text: in each text space, every phrase of a tag is embedded by the space's
 * encoder; a review's similarity to a tag is its best cosine to the tag's
 * phrases. Similarities are standardised per (space, tag) over the shop's
 * reviews (z), which makes spaces and tags with long or short phrases
 * comparable; a user's text evidence is sum(z) / (reviews + textPrior), so
 * a user with one review counts for less, then standardised over users.
 * Behaviour: each hook's signal (behaviour.ts) is standardised over users and
 * signed. The combined evidence is the weighted mean of the parts a user has.
 *
 * Calibration: a user's score for a tag is the robust z of the combined
 * evidence against the shop's users, (c - median) / (1.4826 * MAD), and the
 * user HAS the tag when score >= threshold (default 1.5; per tag in the tag
 * file). Scores are relative to the shop ("more than the shop's typical
 * user"): for normally spread evidence about 7% of users pass 1.5, and a tag
 * concentrated in a group of users gives that group the high scores. The
 * percentile places the user among the shop's users. Users with no evidence
 * for a tag (no text and no behaviour data) get NaN and never have it.
 *
 * fitTagModel() learns the calibration (and embeds the phrases) from a shop;
 * scoreTags() applies a fitted model to the same or a later state of the shop
 * (refresh), so thresholds stay put between runs.
 */
import { OptionError } from '../util/errors.js';
import { computeSignals, type SignalValues } from './behaviour.js';
import { checkTag, type TagDefinition } from './definition.js';
import { checkTagInput, type FitTextSpace, type TagInput, type TextSpace } from './input.js';

export const tagDefaults = {
  /** Robust z from which a user has a tag. */
  threshold: 1.5,
  /** Pseudo-reviews with z = 0 added to each user's text evidence. */
  textPrior: 1,
  /** Distinct phrases whose vectors are this close cannot be told apart by the encoder and are dropped. */
  collapseCosine: 0.999,
  /** Stored quantiles of the combined evidence per tag, for percentiles. */
  quantiles: 101,
} as const;

export interface FitOptions {
  threshold?: number;
  textPrior?: number;
}

/** One text space of a fitted model: its phrases' vectors and the review-similarity calibration. */
export interface SpaceModel {
  id: string;
  dim: number;
  /** Distinct phrases embedded in this space. */
  phrases: string[];
  /** [phrases x dim], unit rows. */
  vectors: Float32Array;
  /** Per tag, the rows of its phrases in `phrases` (empty: no text evidence from this space). */
  tagPhrases: Int32Array[];
  /** Per tag, mean and standard deviation of the review similarities in this space (NaN without phrases or reviews). */
  reviewMean: Float64Array;
  reviewSd: Float64Array;
}

export interface SignalStats {
  mean: number;
  sd: number;
  /** The shop's raw fact (for explanations). */
  shop: number;
}

export interface TagModel {
  version: 1;
  tags: TagDefinition[];
  threshold: number;
  textPrior: number;
  ratingScale: { min: number; max: number };
  spaces: SpaceModel[];
  /** Per tag, mean and sd of the users' text evidence. */
  textMean: Float64Array;
  textSd: Float64Array;
  /** Stats of the available behaviour signals (a hook whose signal is missing here is skipped). */
  signals: Record<string, SignalStats>;
  /** Per tag, median and robust scale of the combined evidence. */
  center: Float64Array;
  scale: Float64Array;
  /** [tags x quantiles] of the combined evidence. */
  quantiles: Float32Array;
  /** What was dropped or unavailable at fit time, for the job's summary. */
  warnings: string[];
}

export interface TagScores {
  tags: string[];
  users: number;
  /** [users x tags] robust z against the shop's users; NaN: no evidence. */
  score: Float32Array;
  /** [users x tags] percentile in [0, 100] among the shop's users; NaN: no evidence. */
  percentile: Float32Array;
  /** [users x tags] 1 when score >= the tag's threshold. */
  has: Uint8Array;
  /** Per user: mean score of positive sentiment tags minus mean score of negative ones; NaN without sentiment tags or evidence. */
  sentiment: Float32Array;
  /** Per tag, how many users have it. */
  counts: Uint32Array;
}

function meanSd(values: ArrayLike<number>): { mean: number; sd: number; n: number } {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
  }
  if (n === 0) return { mean: NaN, sd: NaN, n };
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) ss += (v - mean) * (v - mean);
  }
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN, n };
}

function checkTags(tags: readonly TagDefinition[]): void {
  const names = new Set<string>();
  for (const [i, t] of tags.entries()) {
    const p = checkTag(t);
    if (p) throw new OptionError('fitTagModel', `tags[${i}] ${p.field}`, t.name, p.reason);
    if (names.has(t.name)) throw new OptionError('fitTagModel', `tags[${i}]`, t.name, 'a tag name used once');
    names.add(t.name);
  }
  if (tags.length === 0) throw new OptionError('fitTagModel', 'tags', [], 'at least one tag');
}

/** Embeds the tags' phrases in one space, dropping phrases the encoder cannot embed or tell apart. */
async function embedPhrases(space: FitTextSpace, tags: readonly TagDefinition[], warnings: string[]): Promise<Omit<SpaceModel, 'reviewMean' | 'reviewSd'>> {
  const accepts = space.acceptsPhrase ?? (() => true);
  const distinct: string[] = [];
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.textWeight <= 0) continue;
    for (const p of t.phrases) {
      if (!seen.has(p) && accepts(p)) {
        seen.add(p);
        distinct.push(p);
      }
    }
  }
  const dim = space.dim;
  const raw = distinct.length ? await space.encode(distinct) : new Float32Array(0);
  if (raw.length !== distinct.length * dim) throw new OptionError('fitTagModel', `spaces[${space.id}].encode`, `${raw.length} values for ${distinct.length} phrases`, `${distinct.length} x ${dim}`);
  const keep = new Uint8Array(distinct.length).fill(1);
  const empty: string[] = [];
  for (let i = 0; i < distinct.length; i++) {
    let n2 = 0;
    for (let d = 0; d < dim; d++) n2 += raw[i * dim + d]! ** 2;
    if (!(n2 > 1e-12)) {
      keep[i] = 0;
      empty.push(distinct[i]!);
      continue;
    }
    const inv = 1 / Math.sqrt(n2);
    for (let d = 0; d < dim; d++) raw[i * dim + d]! *= inv;
  }
  const collapsed = new Uint8Array(distinct.length);
  for (let i = 0; i < distinct.length; i++) {
    if (!keep[i]) continue;
    for (let j = i + 1; j < distinct.length; j++) {
      if (!keep[j]) continue;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += raw[i * dim + d]! * raw[j * dim + d]!;
      if (dot >= tagDefaults.collapseCosine) collapsed[i] = collapsed[j] = 1;
    }
  }
  const dropped = distinct.filter((_, i) => collapsed[i]);
  if (empty.length) warnings.push(`text space ${space.id}: ${empty.length} phrases have no vector (outside the encoder's vocabulary), e.g. ${empty.slice(0, 3).map((p) => JSON.stringify(p)).join(', ')}`);
  if (dropped.length) {
    warnings.push(
      `text space ${space.id}: ${dropped.length} phrases dropped because the encoder gives them (nearly) the same vector and cannot tell them apart, e.g. ${dropped.slice(0, 3).map((p) => JSON.stringify(p)).join(', ')}; usually their script is outside its vocabulary: pass an encoder for that language`,
    );
  }
  const row = new Map<string, number>();
  const phrases: string[] = [];
  const vectors = new Float32Array(distinct.filter((_, i) => keep[i] && !collapsed[i]).length * dim);
  distinct.forEach((p, i) => {
    if (!keep[i] || collapsed[i]) return;
    vectors.set(raw.subarray(i * dim, (i + 1) * dim), phrases.length * dim);
    row.set(p, phrases.length);
    phrases.push(p);
  });
  const tagPhrases = tags.map((t) => Int32Array.from(t.textWeight > 0 ? t.phrases.filter((p) => row.has(p)).map((p) => row.get(p) as number) : []));
  return { id: space.id, dim, phrases, vectors, tagPhrases };
}

/** Best cosine of one review vector to each tag's phrases, and which phrase (row) gave it. */
function reviewTagSimilarity(space: Pick<SpaceModel, 'dim' | 'vectors' | 'tagPhrases' | 'phrases'>, vectors: Float32Array, row: number, phraseDots: Float64Array, sims: Float32Array, simOffset: number, best?: Int32Array): boolean {
  const dim = space.dim;
  const base = row * dim;
  let n2 = 0;
  for (let d = 0; d < dim; d++) n2 += vectors[base + d]! ** 2;
  if (!(n2 > 1e-12)) return false;
  const inv = 1 / Math.sqrt(n2);
  const P = space.phrases.length;
  for (let p = 0; p < P; p++) {
    let dot = 0;
    const pb = p * dim;
    for (let d = 0; d < dim; d++) dot += vectors[base + d]! * space.vectors[pb + d]!;
    phraseDots[p] = dot * inv;
  }
  space.tagPhrases.forEach((rows, t) => {
    let m = NaN;
    let arg = -1;
    for (const p of rows) {
      if (arg < 0 || phraseDots[p]! > m) {
        m = phraseDots[p]!;
        arg = p;
      }
    }
    sims[simOffset + t] = m;
    if (best) best[simOffset + t] = arg;
  });
  return true;
}

/** [reviews x tags] review-to-tag similarity (NaN: no text, or no phrases in the review's space). */
function allReviewSimilarities(model: Pick<TagModel, 'tags'> & { spaces: Omit<SpaceModel, 'reviewMean' | 'reviewSd'>[] }, input: TagInput, spaces: readonly TextSpace[]): Float32Array {
  const T = model.tags.length;
  const n = input.reviews.user.length;
  const sims = new Float32Array(n * T).fill(NaN);
  const dots = model.spaces.map((s) => new Float64Array(s.phrases.length));
  for (let k = 0; k < n; k++) {
    const row = input.reviews.text[k]!;
    if (row < 0) continue;
    const s = input.reviews.space ? input.reviews.space[k]! : 0;
    reviewTagSimilarity(model.spaces[s]!, spaces[s]!.vectors, row, dots[s]!, sims, k * T);
  }
  return sims;
}

/** [users x tags] text evidence sum(z) / (n + textPrior), NaN for users with no scored review. */
function userTextEvidence(model: TagModel, input: TagInput, sims: Float32Array): Float64Array {
  const T = model.tags.length;
  const sum = new Float64Array(input.users * T);
  const count = new Float64Array(input.users * T);
  const r = input.reviews;
  for (let k = 0; k < r.user.length; k++) {
    if (r.text[k]! < 0) continue;
    const space = model.spaces[r.space ? r.space[k]! : 0]!;
    const u = r.user[k]!;
    for (let t = 0; t < T; t++) {
      const s = sims[k * T + t]!;
      const sd = space.reviewSd[t]!;
      if (!Number.isFinite(s) || !(sd > 0)) continue;
      sum[u * T + t] += (s - space.reviewMean[t]!) / sd;
      count[u * T + t]++;
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i] = count[i]! > 0 ? sum[i]! / (count[i]! + model.textPrior) : NaN;
  return sum;
}

function signalNames(tags: readonly TagDefinition[]): Set<string> {
  return new Set(tags.flatMap((t) => t.behaviour.map((h) => h.signal)));
}

/** The parts of one user's evidence for one tag, in the units the combination uses. */
export interface EvidenceParts {
  /** Standardised text evidence, NaN when absent. */
  text: number;
  /** Per hook, the signed-before-weighting z of its signal, NaN when absent. */
  hooks: number[];
}

export function evidenceParts(model: TagModel, t: number, textEvidence: number, signals: ReadonlyMap<string, SignalValues>, user: number): EvidenceParts {
  const tag = model.tags[t]!;
  const sd = model.textSd[t]!;
  const text = Number.isFinite(textEvidence) && sd > 0 ? (textEvidence - model.textMean[t]!) / sd : NaN;
  const hooks = tag.behaviour.map((h) => {
    const stats = model.signals[h.signal];
    const v = signals.get(h.signal)?.value[user];
    return stats && v !== undefined && Number.isFinite(v) && stats.sd > 0 ? (v - stats.mean) / stats.sd : NaN;
  });
  return { text, hooks };
}

export function combineParts(tag: TagDefinition, parts: EvidenceParts): number {
  let num = 0;
  let den = 0;
  if (tag.textWeight > 0 && Number.isFinite(parts.text)) {
    num += tag.textWeight * parts.text;
    den += tag.textWeight;
  }
  tag.behaviour.forEach((h, i) => {
    const z = parts.hooks[i]!;
    if (!Number.isFinite(z)) return;
    num += h.weight * h.sign * z;
    den += h.weight;
  });
  return den > 0 ? num / den : NaN;
}

function combinedEvidence(model: TagModel, input: TagInput, text: Float64Array, signals: ReadonlyMap<string, SignalValues>): Float64Array {
  const T = model.tags.length;
  const out = new Float64Array(input.users * T);
  for (let u = 0; u < input.users; u++) {
    for (let t = 0; t < T; t++) out[u * T + t] = combineParts(model.tags[t]!, evidenceParts(model, t, text[u * T + t]!, signals, u));
  }
  return out;
}

function quantilesOf(sorted: Float64Array, q: number): Float32Array {
  const out = new Float32Array(q).fill(NaN);
  if (sorted.length === 0) return out;
  for (let i = 0; i < q; i++) {
    const pos = (i / (q - 1)) * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(sorted.length - 1, lo + 1);
    out[i] = sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
  }
  return out;
}

/** Percentile (0..100) of value c among the stored quantiles; equal quantiles share their middle rank. */
export function percentileOf(quantiles: Float32Array, offset: number, q: number, c: number): number {
  if (!Number.isFinite(c) || !Number.isFinite(quantiles[offset]!)) return NaN;
  const at = (i: number): number => quantiles[offset + i]!;
  if (c < at(0)) return 0;
  if (c > at(q - 1)) return 100;
  let lo = 0; // first index with at(i) >= c
  let hi = q - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(mid) >= c) hi = mid;
    else lo = mid + 1;
  }
  let last = lo; // last index with at(i) <= c
  while (last + 1 < q && at(last + 1) <= c) last++;
  if (at(lo) <= c) return (((lo + last) / 2) * 100) / (q - 1);
  const below = lo - 1;
  const frac = (c - at(below)) / (at(lo) - at(below));
  return ((below + frac) * 100) / (q - 1);
}

function calibrate(model: TagModel, combined: Float64Array, users: number): void {
  const T = model.tags.length;
  const Q = tagDefaults.quantiles;
  model.center = new Float64Array(T);
  model.scale = new Float64Array(T);
  model.quantiles = new Float32Array(T * Q);
  for (let t = 0; t < T; t++) {
    const vals: number[] = [];
    for (let u = 0; u < users; u++) {
      const c = combined[u * T + t]!;
      if (Number.isFinite(c)) vals.push(c);
    }
    const sorted = Float64Array.from(vals).sort();
    model.quantiles.set(quantilesOf(sorted, Q), t * Q);
    if (sorted.length === 0) {
      model.center[t] = NaN;
      model.scale[t] = NaN;
      model.warnings.push(`tag ${model.tags[t]!.name}: no user has any evidence (no matching text space and no behaviour data)`);
      continue;
    }
    const median = (a: Float64Array): number => (a.length % 2 ? a[a.length >> 1]! : (a[a.length / 2 - 1]! + a[a.length / 2]!) / 2);
    const center = median(sorted);
    const dev = sorted.map((v) => Math.abs(v - center)).sort();
    let scale = 1.4826 * median(dev);
    // A tag where most users share one value (MAD 0) falls back to the standard deviation.
    if (!(scale > 1e-9)) scale = meanSd(sorted).sd;
    if (!(scale > 1e-9)) scale = 1;
    model.center[t] = center;
    model.scale[t] = scale;
  }
}

/** Scores from combined evidence with the model's calibration. */
function finalise(model: TagModel, combined: Float64Array, users: number): TagScores {
  const T = model.tags.length;
  const Q = tagDefaults.quantiles;
  const score = new Float32Array(users * T);
  const percentile = new Float32Array(users * T);
  const has = new Uint8Array(users * T);
  const counts = new Uint32Array(T);
  for (let u = 0; u < users; u++) {
    for (let t = 0; t < T; t++) {
      const i = u * T + t;
      const c = combined[i]!;
      const z = (c - model.center[t]!) / model.scale[t]!;
      score[i] = z;
      percentile[i] = percentileOf(model.quantiles, t * Q, Q, c);
      if (z >= (model.tags[t]!.threshold ?? model.threshold)) {
        has[i] = 1;
        counts[t]++;
      }
    }
  }
  return { tags: model.tags.map((t) => t.name), users, score, percentile, has, sentiment: sentimentOf(model, score, users), counts };
}

function sentimentOf(model: TagModel, score: Float32Array, users: number): Float32Array {
  const T = model.tags.length;
  const pos = model.tags.flatMap((t, i) => (t.kind === 'sentiment' && t.polarity === 'positive' ? [i] : []));
  const neg = model.tags.flatMap((t, i) => (t.kind === 'sentiment' && t.polarity === 'negative' ? [i] : []));
  const out = new Float32Array(users).fill(NaN);
  const mean = (u: number, idx: number[]): number => {
    let s = 0;
    let n = 0;
    for (const t of idx) {
      const v = score[u * T + t]!;
      if (Number.isFinite(v)) {
        s += v;
        n++;
      }
    }
    return n ? s / n : NaN;
  };
  if (pos.length + neg.length === 0) return out;
  for (let u = 0; u < users; u++) {
    const p = mean(u, pos);
    const n = mean(u, neg);
    out[u] = Number.isFinite(p) && Number.isFinite(n) ? p - n : Number.isFinite(p) ? p : Number.isFinite(n) ? -n : NaN;
  }
  return out;
}

function checkSpaces(model: TagModel, spaces: readonly TextSpace[]): void {
  if (spaces.length !== model.spaces.length) throw new OptionError('scoreTags', 'spaces', spaces.map((s) => s.id), `the model's ${model.spaces.length} text spaces (${model.spaces.map((s) => s.id).join(', ')})`);
  spaces.forEach((s, i) => {
    const m = model.spaces[i]!;
    if (s.id !== m.id || s.dim !== m.dim) throw new OptionError('scoreTags', `spaces[${i}]`, `${s.id} (dim ${s.dim})`, `${m.id} (dim ${m.dim}), the space the model was fitted with`);
  });
}

/**
 * Embeds the tags' phrases in every space, learns the calibration from this
 * shop and returns the model with the shop's scores.
 */
export async function fitTagModel(tags: readonly TagDefinition[], input: TagInput, spaces: readonly FitTextSpace[], opts: FitOptions = {}): Promise<{ model: TagModel; scores: TagScores }> {
  checkTags(tags);
  checkTagInput(input, spaces);
  const threshold = opts.threshold ?? tagDefaults.threshold;
  if (!Number.isFinite(threshold)) throw new OptionError('fitTagModel', 'threshold', opts.threshold, 'a number');
  const textPrior = opts.textPrior ?? tagDefaults.textPrior;
  if (!(textPrior >= 0)) throw new OptionError('fitTagModel', 'textPrior', opts.textPrior, 'a number >= 0');
  const warnings: string[] = [];
  const embedded = [];
  for (const s of spaces) embedded.push(await embedPhrases(s, tags, warnings));
  const T = tags.length;
  const sims = allReviewSimilarities({ tags: [...tags], spaces: embedded }, input, spaces);
  const spaceModels: SpaceModel[] = embedded.map((e, si) => {
    const reviewMean = new Float64Array(T).fill(NaN);
    const reviewSd = new Float64Array(T).fill(NaN);
    const col = new Float64Array(input.reviews.user.length);
    for (let t = 0; t < T; t++) {
      if (e.tagPhrases[t]!.length === 0) continue;
      col.fill(NaN);
      for (let k = 0; k < col.length; k++) if ((input.reviews.space ? input.reviews.space[k]! : 0) === si) col[k] = sims[k * T + t]!;
      const st = meanSd(col);
      reviewMean[t] = st.mean;
      reviewSd[t] = st.sd;
    }
    return { ...e, reviewMean, reviewSd };
  });
  const signals = computeSignals(input, signalNames(tags));
  const signalStats: Record<string, SignalStats> = {};
  for (const s of signals.values()) {
    if (!s.available) {
      warnings.push(`behaviour signal ${s.name} is not used: ${s.reason}`);
      continue;
    }
    const st = meanSd(s.value);
    signalStats[s.name] = { mean: st.mean, sd: st.sd, shop: s.shop };
  }
  const model: TagModel = {
    version: 1,
    tags: tags.map((t) => structuredClone(t)),
    threshold,
    textPrior,
    ratingScale: input.ratingScale ?? { min: 1, max: 5 },
    spaces: spaceModels,
    textMean: new Float64Array(T).fill(NaN),
    textSd: new Float64Array(T).fill(NaN),
    signals: signalStats,
    center: new Float64Array(T),
    scale: new Float64Array(T),
    quantiles: new Float32Array(0),
    warnings,
  };
  const text = userTextEvidence(model, input, sims);
  const col = new Float64Array(input.users);
  for (let t = 0; t < T; t++) {
    for (let u = 0; u < input.users; u++) col[u] = text[u * T + t]!;
    const st = meanSd(col);
    model.textMean[t] = st.mean;
    model.textSd[t] = st.sd;
    if (tags[t]!.phrases.length > 0 && tags[t]!.textWeight > 0 && !(st.sd > 0)) warnings.push(`tag ${tags[t]!.name}: its phrases give no text evidence (no phrase embedded in a space with reviews)`);
  }
  const combined = combinedEvidence(model, input, text, signals);
  calibrate(model, combined, input.users);
  return { model, scores: finalise(model, combined, input.users) };
}

/** Scores every user of `input` with a fitted model (its phrases, calibration and thresholds). */
export function scoreTags(model: TagModel, input: TagInput, spaces: readonly TextSpace[]): TagScores {
  checkSpaces(model, spaces);
  checkTagInput(input, spaces);
  const sims = allReviewSimilarities(model, input, spaces);
  const text = userTextEvidence(model, input, sims);
  const combined = combinedEvidence(model, input, text, computeSignals(input, signalNames(model.tags)));
  return finalise(model, combined, input.users);
}

/** Internals shared with explain.ts. */
export const scoring = { reviewTagSimilarity, checkSpaces, signalNames };
