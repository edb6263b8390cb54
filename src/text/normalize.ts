/**
 * Text normalisation and the text hash used as the text-vector cache key.
 *
 * Normalisation: Unicode NFKC, then every run of whitespace (\s, which
 * includes tabs, newlines and no-break spaces after NFKC) becomes one ASCII
 * space, then leading/trailing whitespace is trimmed. The encoder embeds the
 * normalised text, so a vector depends only on its hash (plus the model id):
 * two reviews that differ only in spacing share one cache entry.
 */
import { createHash } from 'node:crypto';

export function normaliseText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

/** sha256 (hex) of the UTF-8 bytes of an already normalised text. */
export function textHash(normalisedText: string): string {
  return createHash('sha256').update(normalisedText, 'utf8').digest('hex');
}
