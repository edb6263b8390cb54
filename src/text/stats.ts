/**
 * What a text phase did, as train/refresh/eval summaries report it. Kept apart
 * from the encoders so commands can print it without loading onnxruntime.
 */
import { TEXT_LIMITS } from './limits.js';

export interface TextEncodingStats {
  texts: number;
  encoded: number;
  cacheHits: number;
  sessionRuns: number;
  truncated: number;
  /** Texts per encoder: {"use-lite-int8@…": 9000, "shop-sif-128d@…": 1254}. */
  byModel: Record<string, number>;
}

/** One line for command summaries: what was encoded, cached and cut to TEXT_LIMITS. */
export function textStatsLine(modelId: string | null, s: TextEncodingStats): string {
  const cut = s.truncated > 0 ? `, ${s.truncated} cut to their first ${TEXT_LIMITS.maxTokens.toLocaleString('en-US')} tokens` : '';
  return `${modelId ?? 'none'} (${s.texts} distinct texts, ${s.encoded} encoded, ${s.cacheHits} from cache${cut})`;
}

