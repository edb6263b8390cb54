/**
 * A fitted TagModel as one JSON text (typed arrays as base64 of their bytes,
 * so NaN and every float survive exactly), for storing with a run: `profile
 * --explain` and `refresh` read it back instead of refitting.
 */
import { GraphprofError } from '../util/errors.js';
import { tagDefaults, type TagModel } from './score.js';

type Typed = Float32Array | Float64Array | Int32Array;
const KINDS = { f32: Float32Array, f64: Float64Array, i32: Int32Array } as const;
type Kind = keyof typeof KINDS;

function kindOf(v: Typed): Kind {
  if (v instanceof Float32Array) return 'f32';
  if (v instanceof Float64Array) return 'f64';
  return 'i32';
}

export function serializeTagModel(model: TagModel): string {
  return JSON.stringify(model, (_key, value: unknown) => {
    if (value instanceof Float32Array || value instanceof Float64Array || value instanceof Int32Array) {
      return { $typed: kindOf(value), b64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
    }
    return value;
  });
}

export function deserializeTagModel(text: string, source = 'tag model'): TagModel {
  let model: TagModel;
  try {
    model = JSON.parse(text, (_key, value: unknown) => {
      if (value && typeof value === 'object' && '$typed' in value && 'b64' in value) {
        const { $typed, b64 } = value as { $typed: string; b64: string };
        const Ctor = KINDS[$typed as Kind];
        if (!Ctor) throw new Error(`unknown typed array kind ${JSON.stringify($typed)}`);
        const bytes = Buffer.from(b64, 'base64');
        const copy = new Uint8Array(bytes.byteLength);
        copy.set(bytes);
        return new Ctor(copy.buffer, 0, copy.byteLength / Ctor.BYTES_PER_ELEMENT);
      }
      return value;
    }) as TagModel;
  } catch (e) {
    throw new GraphprofError(`deserializeTagModel: ${source} is not a stored tag model: ${(e as Error).message}`);
  }
  if (model?.version !== 1) throw new GraphprofError(`deserializeTagModel: ${source} has version ${JSON.stringify(model?.version)}; this graphprof reads version 1`);
  const T = model.tags.length;
  if (!(model.quantiles instanceof Float32Array) || model.quantiles.length !== T * tagDefaults.quantiles) {
    throw new GraphprofError(`deserializeTagModel: ${source}: field "quantiles" does not hold ${T} x ${tagDefaults.quantiles} values`);
  }
  if (!Array.isArray(model.correlations) || model.correlations.length !== T || model.correlations.some((r, t) => !(r instanceof Float32Array) || r.length !== (1 + model.tags[t]!.behaviour.length) ** 2)) {
    throw new GraphprofError(`deserializeTagModel: ${source}: field "correlations" does not match the tags`);
  }
  for (const s of model.spaces) {
    if (!(s.vectors instanceof Float32Array) || s.vectors.length !== s.phrases.length * s.dim || s.tagPhrases.length !== T) {
      throw new GraphprofError(`deserializeTagModel: ${source}: text space ${s.id} is inconsistent (phrases, vectors or tags)`);
    }
  }
  return model;
}
