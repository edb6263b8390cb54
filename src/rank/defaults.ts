/**
 * Constants of the learned fusion that are not user parameters (those, with
 * their defaults and checks, are in src/params/table.ts: fusion, walkDim,
 * validationUsers).
 */
import type { ParamValues } from '../params/index.js';

export type FusionMode = ParamValues<'fusion'>['fusion'];

/** Cut-off of the validation objective (Recall@K + NDCG@K) the fusion weights and walk part are fitted on. */
export const validationK = 10;
