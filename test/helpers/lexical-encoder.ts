/**
 * A bag-of-words text encoder for Chinese test shops: words from
 * Intl.Segmenter plus each Han character, feature-hashed (FNV-1a, signed)
 * into `dim` buckets and L2-normalised, so texts that share words are close.
 * USE-lite cannot embed Chinese (its vocabulary is English); the tag tests
 * use this real, if simple, lexical encoder as the Chinese text space where
 * graphprof will pass its shop-trained word-vector encoder.
 */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function lexicalEncoder(dim = 512): { id: string; dim: number; encode(texts: string[]): Promise<Float32Array> } {
  const encodeSync = (texts: string[]): Float32Array => {
    const out = new Float32Array(texts.length * dim);
    texts.forEach((text, i) => {
      const tokens: string[] = [];
      for (const s of segmenter.segment(text.toLowerCase())) {
        if (!s.isWordLike) continue;
        tokens.push(`w:${s.segment}`);
        for (const ch of s.segment) if (/\p{Script=Han}/u.test(ch)) tokens.push(`c:${ch}`);
      }
      for (const t of tokens) {
        const h = fnv1a(t);
        out[i * dim + (h % dim)] += h & 0x80000000 ? -1 : 1;
      }
      let n2 = 0;
      for (let d = 0; d < dim; d++) n2 += out[i * dim + d]! ** 2;
      if (n2 > 0) for (let d = 0; d < dim; d++) out[i * dim + d]! /= Math.sqrt(n2);
    });
    return out;
  };
  return { id: `lexical-zh-${dim}`, dim, encode: async (texts) => encodeSync(texts) };
}
