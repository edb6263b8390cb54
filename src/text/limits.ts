/**
 * How much of one review text graphprof reads, so that a hostile review (a
 * 50 MB line) costs bounded time and memory: a raw text is read up to its
 * first readChars characters before it is normalised and hashed (the cache
 * key); the text encoder tokenizes the first maxChars characters and encodes
 * the first maxTokens content tokens (32 windows of USE-lite); segment terms
 * and snippets read the first maxChars characters. No Amazon review of the
 * shared sets reaches any limit (the longest Musical Instruments review has
 * 3,084 USE-lite tokens).
 */
export const TEXT_LIMITS = { readChars: 131_072, maxChars: 32_768, maxTokens: 4_096 } as const;

/** `text` cut to at most `max` UTF-16 units, never inside a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** The normalisable part of a raw text: its first TEXT_LIMITS.readChars characters. */
export function readablePart(raw: string): string {
  return cutText(raw, TEXT_LIMITS.readChars);
}
