/**
 * graphprof as a library: the jobs the commands run (train, refresh, eval,
 * ingest), exports, the HTML report and the queries, with their option and
 * result types. Every job takes an open database (`openDatabase`) and writes
 * one complete run, or nothing; options are those of the parameter table
 * (`params`), checked before any work. README "Library" has an example.
 */
export { openDatabase, defaultDbPath } from './store/store.js';
export { getRun, listRuns, type RunInfo, type RunKind, type VectorKind } from './store/runs.js';
export { readSegments } from './store/segments.js';
export { readVectors, type StoredVectors } from './store/vectors.js';

export { runTrain as train, type TrainJobOptions, type TrainSummary } from './jobs/train.js';
export { runRefresh as refresh, type RefreshJobOptions, type RefreshSummary } from './jobs/refresh.js';
export { runEval as evaluate, type EvalJobOptions, type EvalResult } from './jobs/evaluate.js';
export { runIngest as ingest, type IngestJobOptions, type IngestSummary } from './jobs/ingest.js';
export { computeProfiles, type ProfileOptions, type Profiles } from './jobs/profiles.js';

export { exportVectors, exportFormats, type ExportFormat, type ExportOptions, type ExportResult, type ExportType } from './export/index.js';
export { readWord2Vec, writeWord2Vec, type VectorTable } from './export/word2vec.js';
export { buildReport, writeReport, type Report, type ReportOptions } from './report/index.js';
export { similar, userProfile, type Neighbour, type UserProfile } from './query/profile.js';
export type { SegmentDescription } from './segment/describe.js';

export { readInputs, type ReadOptions, type ShopData, type IngestData } from './ingest/index.js';
export type { ReviewRecord, ReviewTable } from './ingest/records.js';
export { reviewAt, reviewRecords, reviewTableOf, takeRows, ReviewTableBuilder } from './ingest/table.js';
export { embedEdgeList, embedEdgeListFiles, type EmbedOptions, type NodeEmbedding } from './embed/node2vec.js';
export { generateWalks, type WalkOptions } from './walk/index.js';
export { trainSkipGram, type SgnsOptions } from './sgns/index.js';

export { params, profileParamNames, resolveParams, type ParamName } from './params/index.js';
export { ExitCode, GraphprofError, InputError, OptionError } from './util/errors.js';
