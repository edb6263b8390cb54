/** Every graphprof command, in the order `--help` lists them. */
import type { CommandModule } from 'yargs';
import type { GlobalArgs } from './options.js';
import { command as train } from './train.js';
import { command as refresh } from './refresh.js';
import { command as ingest } from './ingest.js';
import { command as evaluate } from './eval.js';
import { command as segments } from './segments.js';
import { command as profile } from './profile.js';
import { command as similar } from './similar.js';
import { command as inspect } from './inspect.js';
import { command as runs } from './runs.js';
import { command as sample } from './sample.js';
import { command as models } from './models.js';
import { command as embedGraph } from './embed-graph.js';
import { command as report } from './report.js';
import { command as exportCommand } from './export.js';
import { command as tags } from './tags.js';
import { command as drift } from './drift.js';

// Each module's own argument type is a superset of GlobalArgs; yargs checks them at parse time.
export const commands = [train, refresh, ingest, evaluate, segments, tags, drift, profile, similar, exportCommand, report, embedGraph, inspect, runs, sample, models] as unknown as CommandModule<GlobalArgs, GlobalArgs>[];
