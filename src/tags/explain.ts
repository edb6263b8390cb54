/**
 * Why a user has (or has not) a tag: the user's reviews closest to the tag's
 * phrases (similarity, best phrase, z against the shop's reviews) and the
 * behaviour facts behind each hook ("4 of 9 ratings are 2 stars or less"),
 * with the same score scoreTags() gives. Only the user's own reviews are
 * compared with the phrases, so `spaces` need real vectors only for them;
 * behaviour signals read every review (product means, first reviews).
 */
import { OptionError } from '../util/errors.js';
import { computeSignals, describeSignal } from './behaviour.js';
import type { TagKind } from './definition.js';
import type { TagInput, TextSpace } from './input.js';
import { combineParts, evidenceParts, scoring, tagDefaults, type TagModel } from './score.js';
import { percentileOf } from './stats.js';

export interface ExplainOptions {
  /** Tags to explain (default: all). */
  tags?: readonly string[];
  /** Reviews listed per tag (default 3). */
  top?: number;
  /** Id and text of review k (a row of input.reviews), for ids and snippets. */
  review?: (k: number) => { id: string; text: string };
  snippetChars?: number;
}

export interface ReviewMatch {
  /** Row in input.reviews. */
  review: number;
  id?: string;
  snippet?: string;
  /** Cosine to the closest phrase. */
  similarity: number;
  phrase: string;
  /** Standardised against the shop's reviews in the same text space. */
  z: number;
}

export interface HookFact {
  signal: string;
  sign: 1 | -1;
  weight: number;
  available: boolean;
  /** The signal's z against the shop's null (before the hook's sign), null without data. */
  z: number | null;
  /** The raw fact, null without data. */
  fact: string | null;
}

export interface TagExplanation {
  tag: string;
  kind: TagKind;
  description: string;
  score: number | null;
  percentile: number | null;
  has: boolean;
  threshold: number;
  /** null: the tag has no phrases any of the user's reviews could be compared with. */
  text: { weight: number; evidence: number | null; reviews: number; matches: ReviewMatch[] } | null;
  behaviour: HookFact[];
  /** One line for terminals. */
  summary: string;
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;
const orNull = (x: number, d = 3): number | null => (Number.isFinite(x) ? round(x, d) : null);

function snippet(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut) + '…';
}

export function explainUserTags(model: TagModel, input: TagInput, spaces: readonly TextSpace[], user: number, opts: ExplainOptions = {}): TagExplanation[] {
  scoring.checkSpaces(model, spaces);
  if (!Number.isInteger(user) || user < 0 || user >= input.users) throw new OptionError('explainUserTags', 'user', user, `a user row in [0, ${input.users})`);
  const T = model.tags.length;
  const wanted = opts.tags ?? model.tags.map((t) => t.name);
  const index = wanted.map((name) => {
    const t = model.tags.findIndex((x) => x.name === name);
    if (t < 0) throw new OptionError('explainUserTags', 'tags', name, `one of ${model.tags.map((x) => x.name).join(', ')}`);
    return t;
  });
  const top = opts.top ?? 3;
  const signals = computeSignals(input, scoring.signalNames(model.tags), scoring.signalNulls(model));
  const r = input.reviews;
  const mine: number[] = [];
  for (let k = 0; k < r.user.length; k++) if (r.user[k] === user) mine.push(k);
  const sims = new Float32Array(mine.length * T).fill(NaN);
  const best = new Int32Array(mine.length * T).fill(-1);
  const dots = model.spaces.map((s) => new Float64Array(s.phrases.length));
  const textSum = new Float64Array(T);
  const textCount = new Float64Array(T);
  mine.forEach((k, i) => {
    const row = r.text[k]!;
    if (row < 0) return;
    const s = r.space ? r.space[k]! : 0;
    const space = model.spaces[s]!;
    const vectors = spaces[s]!.vectors;
    if ((row + 1) * space.dim > vectors.length) throw new OptionError('explainUserTags', `reviews.text[${k}]`, row, `a row of space ${space.id}`);
    scoring.reviewTagSimilarity(space, vectors, row, dots[s]!, sims, i * T, best);
    for (let t = 0; t < T; t++) {
      const v = sims[i * T + t]!;
      if (!Number.isFinite(v) || !(space.reviewSd[t]! > 0)) continue;
      textSum[t] += (v - space.reviewMean[t]!) / space.reviewSd[t]!;
      textCount[t]++;
    }
  });
  const Q = tagDefaults.quantiles;
  return index.map((t) => {
    const tag = model.tags[t]!;
    const threshold = tag.threshold ?? model.threshold;
    const evidence = textCount[t]! > 0 ? textSum[t]! / Math.sqrt(textCount[t]!) : NaN;
    const parts = evidenceParts(model, t, evidence, signals, user);
    const score = combineParts(tag, parts, model.correlations[t]!);
    const percentile = percentileOf(model.quantiles, t * Q, Q, score);
    const matches: ReviewMatch[] = [];
    mine.forEach((k, i) => {
      const v = sims[i * T + t]!;
      if (!Number.isFinite(v)) return;
      const space = model.spaces[r.space ? r.space[k]! : 0]!;
      const m: ReviewMatch = { review: k, similarity: round(v), phrase: space.phrases[best[i * T + t]!]!, z: round((v - space.reviewMean[t]!) / space.reviewSd[t]!) };
      if (opts.review) {
        const info = opts.review(k);
        m.id = info.id;
        m.snippet = snippet(info.text, opts.snippetChars ?? 160);
      }
      matches.push(m);
    });
    matches.sort((a, b) => b.z - a.z || a.review - b.review);
    const hasText = tag.textWeight > 0 && matches.length > 0;
    const behaviour: HookFact[] = tag.behaviour.map((h, i) => {
      const s = signals.get(h.signal);
      const available = s !== undefined && s.available && model.signals[h.signal] !== undefined;
      const z = parts[1 + i]!;
      const fact = available && Number.isFinite(z) ? describeSignal(h.signal, s.num[user]!, s.den[user]!, model.signals[h.signal]!.shop, model.ratingScale) : null;
      return { signal: h.signal, sign: h.sign, weight: h.weight, available, z: orNull(z), fact };
    });
    const has = score >= threshold;
    const reasons: string[] = behaviour.filter((b) => b.fact !== null).map((b) => b.fact as string);
    const m0 = matches[0];
    if (hasText && m0) reasons.push(`closest review ${m0.id ? `${m0.id} ` : ''}matches "${m0.phrase}" (cosine ${m0.similarity}, z ${m0.z})`);
    const head = Number.isFinite(score) ? `${tag.name}: ${has ? 'yes' : 'no'} (score ${round(score, 2)}, threshold ${threshold}, percentile ${Math.round(percentile)})` : `${tag.name}: no evidence`;
    return {
      tag: tag.name,
      kind: tag.kind,
      description: tag.description,
      score: orNull(score),
      percentile: orNull(percentile, 1),
      has,
      threshold,
      text: hasText ? { weight: tag.textWeight, evidence: orNull(parts[0]!), reviews: matches.length, matches: matches.slice(0, top) } : null,
      behaviour,
      summary: reasons.length ? `${head}: ${reasons.join('; ')}` : head,
    };
  });
}
