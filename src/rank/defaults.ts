/**
 * Parameters of the learned fusion and the walk part, declared in one place
 * until they join the project's parameter table (name, default, check, help):
 *
 * - fusion: 'learned' | 'fixed'. learned: the weights of the graph, context,
 *   text, walk and popularity parts are fitted on a validation split of the
 *   training reviews; fixed: fused = [√(1−w)·ĝ, √w·t̂] with the text weight w.
 * - walkDim: rank of the walk part (RP3β factorised), an integer >= 1; capped
 *   at the number of products.
 * - validationUsers: at most this many users give up their newest training
 *   review to the validation split, an integer >= 1.
 * - validationK: cut-off of the validation objective (Recall@K + NDCG@K).
 */
import { OptionError } from '../util/errors.js';

export type FusionMode = 'learned' | 'fixed';

export const fusionDefaults = {
  fusion: 'learned' as FusionMode,
  walkDim: 256,
  validationUsers: 2000,
  validationK: 10,
} as const;

export function checkFusionOptions(fn: string, o: { fusion: string; walkDim: number; validationUsers: number }): void {
  if (o.fusion !== 'learned' && o.fusion !== 'fixed') throw new OptionError(fn, 'fusion', o.fusion, '"learned" or "fixed"');
  if (!Number.isInteger(o.walkDim) || o.walkDim < 1) throw new OptionError(fn, 'walkDim', o.walkDim, 'an integer >= 1');
  if (!Number.isInteger(o.validationUsers) || o.validationUsers < 1) throw new OptionError(fn, 'validationUsers', o.validationUsers, 'an integer >= 1');
}
