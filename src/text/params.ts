/**
 * The values of the text parameters that are words, not paths (the
 * parameters themselves, textModel and textPrecision, are declared with their
 * defaults, checks and help in src/params/table.ts):
 *
 * - textModel: `auto` (the default) embeds English reviews with the built-in
 *   USE-lite and every other review with the encoder trained on the shop's own
 *   reviews (see shop-encoder.ts, and route.ts for how a review is judged
 *   English); `shop` uses the shop-trained encoder for every review; anything
 *   else is a model directory or a cached model name (see resolve.ts), used
 *   for every review.
 * - textPrecision: which variant of the built-in USE-lite to run: `int8`
 *   (the default; int8 MatMul weights, about 2x faster) or `fp32` (the
 *   weights as shipped). A --text-model DIR is run as it is.
 */
export const TEXT_PRECISIONS = ['fp32', 'int8'] as const;
export type TextPrecision = (typeof TEXT_PRECISIONS)[number];

/** The two --text-model values that are not a model directory. */
export const TEXT_MODEL_AUTO = 'auto';
export const TEXT_MODEL_SHOP = 'shop';
