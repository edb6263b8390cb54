/**
 * One onnxruntime-node InferenceSession over a text model, reused for every
 * batch. It works out from the model's metadata which inputs to feed
 * (input_ids required; attention_mask and token_type_ids when the model
 * declares them, token_type_ids as zeros) and which output is the embedding:
 * a 2-D output is taken as the sentence vector, a 3-D one as token states to
 * be pooled. ORT failures are turned into ModelErrors that say what to do.
 */
import ort from 'onnxruntime-node';
import { ModelError } from '../util/errors.js';

export type OutputKind = 'sentence' | 'tokens';

/** onnxruntime settings worth measuring (bench:text --sweep); defaults in SESSION_DEFAULTS. */
export interface SessionTuning {
  /** Let idle onnxruntime worker threads spin (busy-wait) between ops. */
  spinning?: boolean;
  executionMode?: 'sequential' | 'parallel';
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

export interface SessionOptions extends SessionTuning {
  /** intraOpNumThreads; 0 lets onnxruntime choose (one per core). */
  threads?: number;
}

/**
 * onnxruntime session settings, measured with `npm run bench:text` on this
 * project's 2-core machine (README, "Text encoding"): sequential execution
 * (the graph is a chain; parallel execution only adds inter-op threads),
 * every graph optimisation (needed for the int8 MatMul fusion), and worker
 * threads that sleep instead of spinning between ops: spinning threads
 * compete with the main thread (tokenization, pooling) and with other
 * processes, which cost more than the wake-up latency saves.
 */
export const SESSION_DEFAULTS: Required<SessionTuning> = { spinning: false, executionMode: 'sequential', graphOptimizationLevel: 'all' };

/** A right-padded batch: row-major ids and mask, `rows` x `cols`. */
export interface TokenBatch {
  ids: BigInt64Array;
  mask: BigInt64Array;
  rows: number;
  cols: number;
}

export interface BatchOutput {
  kind: OutputKind;
  data: Float32Array;
  /** [rows, dim] for sentence outputs, [rows, cols, dim] for token states. */
  dims: readonly number[];
}

const SENTENCE_OUTPUTS = ['sentence_embedding', 'embeddings', 'sentence_embeddings', 'pooler_output'];
const TOKEN_OUTPUTS = ['last_hidden_state', 'token_embeddings'];
const KNOWN_INPUTS = new Set(['input_ids', 'attention_mask', 'token_type_ids']);

function tensorMeta(meta: readonly ort.InferenceSession.ValueMetadata[], name: string): ort.InferenceSession.TensorValueMetadata | undefined {
  const m = meta.find((x) => x.name === name);
  return m && m.isTensor ? m : undefined;
}

function chooseOutput(session: ort.InferenceSession, file: string): { name: string; kind: OutputKind | undefined; dim: number | undefined } {
  const names = session.outputNames;
  const pick = [...SENTENCE_OUTPUTS, ...TOKEN_OUTPUTS].find((n) => names.includes(n)) ?? names[0];
  if (pick === undefined) throw new ModelError(`openModelSession: ${file} has no outputs`);
  const meta = tensorMeta(session.outputMetadata, pick);
  const shape = meta?.shape ?? [];
  const last = shape[shape.length - 1];
  const kind: OutputKind | undefined = shape.length === 2 ? 'sentence' : shape.length === 3 ? 'tokens' : undefined;
  if (shape.length !== 0 && kind === undefined) {
    throw new ModelError(`openModelSession: output "${pick}" of ${file} has shape [${shape.join(', ')}]; expected [batch, dim] or [batch, sequence, dim]`);
  }
  return { name: pick, kind, dim: typeof last === 'number' ? last : undefined };
}

export class ModelSession {
  runs = 0;
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly file: string,
    readonly outputName: string,
    private kind: OutputKind | undefined,
    private dimension: number | undefined,
    private readonly feedMask: boolean,
    private readonly feedTypeIds: boolean,
  ) {}

  static async open(file: string, opts: SessionOptions = {}): Promise<ModelSession> {
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(file, {
        intraOpNumThreads: opts.threads ?? 0,
        interOpNumThreads: 1,
        executionMode: opts.executionMode ?? SESSION_DEFAULTS.executionMode,
        graphOptimizationLevel: opts.graphOptimizationLevel ?? SESSION_DEFAULTS.graphOptimizationLevel,
        // Failures are reported as ModelErrors; ORT's own stderr log would only duplicate them.
        logSeverityLevel: 4,
        extra: { session: { intra_op: { allow_spinning: (opts.spinning ?? SESSION_DEFAULTS.spinning) ? '1' : '0' } } },
      });
    } catch (e) {
      throw new ModelError(`openModelSession: onnxruntime cannot load ${file}: ${(e as Error).message}. Re-download or re-export the model (for the default model, delete its cache directory to rebuild it)`);
    }
    const inputs = session.inputNames;
    if (!inputs.includes('input_ids')) throw new ModelError(`openModelSession: ${file} has no "input_ids" input (inputs: ${inputs.join(', ')}); graphprof needs a text encoder with Hugging Face-style inputs`);
    const unknown = inputs.filter((n) => !KNOWN_INPUTS.has(n));
    if (unknown.length > 0) throw new ModelError(`openModelSession: ${file} needs inputs graphprof cannot feed: ${unknown.join(', ')}`);
    for (const n of inputs) {
      const t = tensorMeta(session.inputMetadata, n)?.type;
      if (t !== undefined && t !== 'int64') throw new ModelError(`openModelSession: input "${n}" of ${file} is ${t}; expected int64`);
    }
    const out = chooseOutput(session, file);
    return new ModelSession(session, file, out.name, out.kind, out.dim, inputs.includes('attention_mask'), inputs.includes('token_type_ids'));
  }

  /** Embedding size; known from metadata or after the first run. */
  get dim(): number | undefined {
    return this.dimension;
  }

  get outputKind(): OutputKind | undefined {
    return this.kind;
  }

  async run(batch: TokenBatch): Promise<BatchOutput> {
    const shape = [batch.rows, batch.cols];
    const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', batch.ids, shape) };
    if (this.feedMask) feeds.attention_mask = new ort.Tensor('int64', batch.mask, shape);
    if (this.feedTypeIds) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(batch.ids.length), shape);
    let result: ort.InferenceSession.OnnxValueMapType;
    try {
      result = await this.session.run(feeds, [this.outputName]);
    } catch (e) {
      throw this.explainRunError(e as Error);
    }
    this.runs++;
    const t = result[this.outputName];
    if (!t || t.type !== 'float32') throw new ModelError(`ModelSession.run: output "${this.outputName}" of ${this.file} is ${t?.type ?? 'missing'}; expected float32`);
    return { kind: this.checkShape(t.dims, batch), data: t.data as Float32Array, dims: t.dims };
  }

  private checkShape(dims: readonly number[], batch: TokenBatch): OutputKind {
    const ok2 = dims.length === 2 && dims[0] === batch.rows;
    const ok3 = dims.length === 3 && dims[0] === batch.rows && dims[1] === batch.cols;
    const kind: OutputKind | undefined = ok2 ? 'sentence' : ok3 ? 'tokens' : undefined;
    if (kind === undefined || (this.kind !== undefined && kind !== this.kind)) {
      throw new ModelError(
        `ModelSession.run: output "${this.outputName}" of ${this.file} has shape [${dims.join(', ')}] for a batch of ${batch.rows}x${batch.cols}; expected [${batch.rows}, dim] or [${batch.rows}, ${batch.cols}, dim]. Use a sentence-embedding or token-state export of the model`,
      );
    }
    this.kind = kind;
    this.dimension = dims[dims.length - 1];
    return kind;
  }

  private explainRunError(e: Error): ModelError {
    const msg = e.message;
    if (/out of (data )?bounds|indices element out of|out of range/i.test(msg)) {
      return new ModelError(
        `ModelSession.run: ${this.file} rejected a token id (${msg.split('\n')[0]}). The tokenizer.json does not fit this model: its vocabulary is larger than the model's embedding table. Put the tokenizer that was exported with this model next to model.onnx`,
      );
    }
    return new ModelError(`ModelSession.run: onnxruntime failed on ${this.file}: ${msg.split('\n')[0]}`);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
