/**
 * The text parameters of train / eval / refresh, declared once: name, flag,
 * default, check and help. The CLI's parameter table takes them from here.
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
import { OptionError } from '../util/errors.js';

export const TEXT_PRECISIONS = ['fp32', 'int8'] as const;
export type TextPrecision = (typeof TEXT_PRECISIONS)[number];

/** The two --text-model values that are not a model directory. */
export const TEXT_MODEL_AUTO = 'auto';
export const TEXT_MODEL_SHOP = 'shop';

export interface TextParam<T> {
  /** Option name in ProfileOptions / --config. */
  readonly name: string;
  readonly flag: string;
  readonly default: T;
  readonly choices?: readonly string[];
  /** Returns the checked value or throws an OptionError naming `fn`. */
  check(value: unknown, fn: string): T;
  readonly help: string;
}

export const textPrecisionParam: TextParam<TextPrecision> = {
  name: 'textPrecision',
  flag: 'text-precision',
  default: 'int8',
  choices: TEXT_PRECISIONS,
  check(value, fn) {
    if (typeof value === 'string' && (TEXT_PRECISIONS as readonly string[]).includes(value)) return value as TextPrecision;
    throw new OptionError(fn, 'textPrecision', value, `one of ${TEXT_PRECISIONS.join(', ')}`);
  },
  help: 'Built-in text model variant: int8 (int8 weights, ~2x faster) or fp32 (weights as shipped)',
};

export const textModelParam: TextParam<string> = {
  name: 'textModel',
  flag: 'text-model',
  default: TEXT_MODEL_AUTO,
  check(value, fn) {
    if (typeof value === 'string' && value.trim() !== '') return value;
    throw new OptionError(fn, 'textModel', value, `"${TEXT_MODEL_AUTO}", "${TEXT_MODEL_SHOP}", a model directory or a cached model name`);
  },
  help: 'Text encoder: auto (USE-lite for English reviews, one trained on the shop\'s reviews for other languages), shop (the shop-trained one for all), or an ONNX model DIR / cached name',
};

export const TEXT_PARAMS = [textModelParam, textPrecisionParam] as const;
