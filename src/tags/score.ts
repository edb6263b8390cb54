/**
 * Tag scores per user, from text and behaviour, calibrated as a z statistic
 * against a "typical user of this shop" null.
 *
 * Text: in each text space, every phrase of a tag is embedded by the space's
 * encoder; a review's similarity to a tag is its best cosine to the tag's
 * phrases. Similarities are standardised per (space, tag) over the shop's
 * reviews (z_r), which makes spaces, and tags with long or short phrases,
 * comparable; the user's text statistic is sum(z_r) / sqrt(n) over their n
 * reviews (Stouffer), about N(0, 1) if their reviews were typical ones.
 * Behaviour: each hook's signal is a z against its own null (behaviour.ts:
 * exact binomial tails for shares, standard errors for rating means, robust
 * z for activity), signed by the hook.
 *
 * The score is the weighted Stouffer combination of the parts a user has,
 * sum(w_i z_i) / sqrt(sum_ij |w_i w_j| r_ij), r the parts' correlation over
 * the fit's users (so two hooks on related signals do not count twice), and
 * the user HAS the tag when score >= threshold (default 2, a one-sided p of
 * about 0.023 under the null; per tag in the tag file). Being a significance, it does not depend on
 * how many users have the tag (half the shop can have an interest), and it
 * needs more evidence from a user with one review than from one with ten.
 * The percentile places the score among the shop's users. Users with no
 * evidence for a tag (no text in a space with its phrases and no behaviour
 * data) get NaN and never have it.
 *
 * fitTagModel() embeds the phrases and learns the nulls from a shop;
 * scoreTags() applies a fitted model to the same or a later state of the shop
 * (refresh), so thresholds mean the same between runs.
 */
import { OptionError } from '../util/errors.js';
import { computeSignals, type SignalNull, type SignalValues } from './behaviour.js';
import { checkTag, type TagDefinition } from './definition.js';
import { checkTagInput, type FitTextSpace, type TagInput, type TextSpace } from './input.js';
import { meanSd, percentileOf, quantiles } from './stats.js';

export const tagDefaults = {
  /** Score (z against the shop's typical user) from which a user has a tag. */
  threshold: 2,
  /** Distinct phrases whose vectors are this close cannot be told apart by the encoder and are dropped. */
  collapseCosine: 0.999,
  /** Stored quantiles of the combined evidence per tag, for percentiles. */
  quantiles: 101,
} as const;

export interface FitOptions {
  threshold?: number;
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
  /** The null the signal's z is measured against, learnt from the fit's shop. */
  null: SignalNull;
  /** The shop's raw fact (for explanations). */
  shop: number;
}

export interface TagModel {
  version: 1;
  tags: TagDefinition[];
  threshold: number;
  ratingScale: { min: number; max: number };
  spaces: SpaceModel[];
  /** Nulls of the available behaviour signals (a hook whose signal is missing here is skipped). */
  signals: Record<string, SignalStats>;
  /** Per tag, [parts x parts] correlation of its evidence parts (text, then hooks) over the fit's users. */
  correlations: Float32Array[];
  /** [tags x quantiles] of the fit's scores, for percentiles. */
  quantiles: Float32Array;
  /** What was dropped or unavailable at fit time, for the job's summary. */
  warnings: string[];
}

export interface TagScores {
  tags: string[];
  users: number;
  /** [users x tags] z against the shop's typical user; NaN: no evidence. */
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

/** [users x tags] text statistic sum(z_r) / sqrt(n), NaN for users with no scored review. */
function userTextEvidence(model: Pick<TagModel, 'tags' | 'spaces'>, input: TagInput, sims: Float32Array): Float64Array {
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
  for (let i = 0; i < sum.length; i++) sum[i] = count[i]! > 0 ? sum[i]! / Math.sqrt(count[i]!) : NaN;
  return sum;
}

function signalNames(tags: readonly TagDefinition[]): Set<string> {
  return new Set(tags.flatMap((t) => t.behaviour.map((h) => h.signal)));
}

/**
 * The parts of one user's evidence for one tag, each a z against its null:
 * part 0 is the text statistic, part 1 + i the signal of hook i (before the
 * hook's sign); NaN where absent.
 */
export type EvidenceParts = Float64Array;

export function evidenceParts(model: TagModel, t: number, text: number, signals: ReadonlyMap<string, SignalValues>, user: number, out?: Float64Array): EvidenceParts {
  const tag = model.tags[t]!;
  const parts = out ?? new Float64Array(1 + tag.behaviour.length);
  parts[0] = tag.textWeight > 0 && Number.isFinite(text) ? text : NaN;
  tag.behaviour.forEach((h, i) => {
    const z = model.signals[h.signal] ? signals.get(h.signal)?.z[user] : undefined;
    parts[1 + i] = z !== undefined && Number.isFinite(z) ? z : NaN;
  });
  return parts;
}

/** Weight and sign of each part of a tag's evidence. */
function partWeights(tag: TagDefinition): Float64Array {
  return Float64Array.from([tag.textWeight, ...tag.behaviour.map((h) => h.weight * h.sign)]);
}

/**
 * Weighted Stouffer combination of the parts present, corrected for their
 * correlation: sum(w_i z_i) / sqrt(sum_ij |w_i w_j| r_ij). Hooks on related
 * signals (low ratings and a low mean rating) are correlated; treating them as
 * independent would overstate the evidence (Strube 1985). r is the parts'
 * correlation over the fit's users, clipped to [0, 0.99].
 */
export function combineParts(tag: TagDefinition, parts: EvidenceParts, correlation: Float32Array): number {
  const w = partWeights(tag);
  const P = w.length;
  let num = 0;
  let variance = 0;
  for (let i = 0; i < P; i++) {
    if (!Number.isFinite(parts[i]!) || w[i] === 0) continue;
    num += w[i]! * parts[i]!;
    for (let j = 0; j < P; j++) {
      if (!Number.isFinite(parts[j]!) || w[j] === 0) continue;
      // r is the correlation of the signed parts, so the weights enter without their signs.
      variance += Math.abs(w[i]! * w[j]!) * (i === j ? 1 : correlation[i * P + j]!);
    }
  }
  return variance > 0 ? num / Math.sqrt(variance) : NaN;
}

/** Correlation of a tag's signed parts over users with both present (0 with fewer than 10 such users), clipped to [0, 0.99]. */
function partCorrelation(tag: TagDefinition, parts: Float64Array, users: number): Float32Array {
  const w = partWeights(tag);
  const P = w.length;
  const r = new Float32Array(P * P);
  for (let i = 0; i < P; i++) {
    r[i * P + i] = 1;
    for (let j = i + 1; j < P; j++) {
      let n = 0;
      let si = 0;
      let sj = 0;
      let sii = 0;
      let sjj = 0;
      let sij = 0;
      for (let u = 0; u < users; u++) {
        const a = parts[u * P + i]! * Math.sign(w[i]!);
        const b = parts[u * P + j]! * Math.sign(w[j]!);
        if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
        n++;
        si += a;
        sj += b;
        sii += a * a;
        sjj += b * b;
        sij += a * b;
      }
      const cov = sij - (si * sj) / n;
      const den = Math.sqrt((sii - (si * si) / n) * (sjj - (sj * sj) / n));
      const c = n >= 10 && den > 0 ? Math.min(0.99, Math.max(0, cov / den)) : 0;
      r[i * P + j] = r[j * P + i] = c;
    }
  }
  return r;
}

/** [users x parts] evidence parts of tag t. */
function tagParts(model: TagModel, t: number, users: number, text: Float64Array, signals: ReadonlyMap<string, SignalValues>): Float64Array {
  const T = model.tags.length;
  const P = 1 + model.tags[t]!.behaviour.length;
  const out = new Float64Array(users * P);
  for (let u = 0; u < users; u++) evidenceParts(model, t, text[u * T + t]!, signals, u, out.subarray(u * P, (u + 1) * P));
  return out;
}

/** [users x tags] scores; at fit time (`learn`) the parts' correlations are learnt first. */
function combinedEvidence(model: TagModel, input: TagInput, text: Float64Array, signals: ReadonlyMap<string, SignalValues>, learn: boolean): Float64Array {
  const T = model.tags.length;
  const out = new Float64Array(input.users * T);
  for (let t = 0; t < T; t++) {
    const tag = model.tags[t]!;
    const P = 1 + tag.behaviour.length;
    const parts = tagParts(model, t, input.users, text, signals);
    if (learn) model.correlations[t] = partCorrelation(tag, parts, input.users);
    const r = model.correlations[t]!;
    for (let u = 0; u < input.users; u++) out[u * T + t] = combineParts(tag, parts.subarray(u * P, (u + 1) * P), r);
  }
  return out;
}

/** Stores the quantiles of the fit's scores per tag (for percentiles) and warns about tags nobody has evidence for. */
function calibrate(model: TagModel, combined: Float64Array, users: number): void {
  const T = model.tags.length;
  const Q = tagDefaults.quantiles;
  model.quantiles = new Float32Array(T * Q);
  const col = new Float64Array(users);
  for (let t = 0; t < T; t++) {
    for (let u = 0; u < users; u++) col[u] = combined[u * T + t]!;
    const q = quantiles(col, Q);
    model.quantiles.set(q, t * Q);
    if (!Number.isFinite(q[0]!)) model.warnings.push(`tag ${model.tags[t]!.name}: no user has any evidence (no text space with its phrases and no behaviour data)`);
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
      const z = combined[i]!;
      score[i] = z;
      percentile[i] = percentileOf(model.quantiles, t * Q, Q, z);
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
    signalStats[s.name] = { null: s.null, shop: s.shop };
  }
  const model: TagModel = {
    version: 1,
    tags: tags.map((t) => structuredClone(t)),
    threshold,
    ratingScale: input.ratingScale ?? { min: 1, max: 5 },
    spaces: spaceModels,
    signals: signalStats,
    correlations: [],
    quantiles: new Float32Array(0),
    warnings,
  };
  const text = userTextEvidence(model, input, sims);
  tags.forEach((tag, t) => {
    if (tag.phrases.length > 0 && tag.textWeight > 0 && !spaceModels.some((sm) => sm.reviewSd[t]! > 0)) warnings.push(`tag ${tag.name}: its phrases give no text evidence (none is embedded in a text space with reviews)`);
  });
  const combined = combinedEvidence(model, input, text, signals, true);
  calibrate(model, combined, input.users);
  return { model, scores: finalise(model, combined, input.users) };
}

/** Scores every user of `input` with a fitted model (its phrases, calibration and thresholds). */
export function scoreTags(model: TagModel, input: TagInput, spaces: readonly TextSpace[]): TagScores {
  checkSpaces(model, spaces);
  checkTagInput(input, spaces);
  const sims = allReviewSimilarities(model, input, spaces);
  const text = userTextEvidence(model, input, sims);
  const combined = combinedEvidence(model, input, text, computeSignals(input, signalNames(model.tags), signalNulls(model)), false);
  return finalise(model, combined, input.users);
}

function signalNulls(model: TagModel): Record<string, SignalNull> {
  return Object.fromEntries(Object.entries(model.signals).map(([name, s]) => [name, s.null]));
}

/** Internals shared with explain.ts. */
export const scoring = { reviewTagSimilarity, checkSpaces, signalNames, signalNulls };
