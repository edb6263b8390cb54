/**
 * `graphprof report`: one self-contained HTML file about a trained run.
 * buildReport reads the run, projects users to 2-D, lays out the segment
 * graph and renders the page; writeReport puts it on disk atomically.
 */
import type { Database as DB } from 'better-sqlite3';
import { loadReportData } from './data.js';
import { resolveReportOptions, type ReportOptions } from './options.js';
import { renderPage } from './page.js';
import { projectUsers } from './project.js';
import { layoutSegmentGraph } from './segment-graph.js';
import { renderGraph } from './svg-graph.js';
import { renderMap } from './svg-map.js';
import { GraphprofError } from '../util/errors.js';
import { writeFileAtomic } from '../util/out-path.js';

export { reportDefaults, type ReportOptions } from './options.js';

export interface ReportStats {
  runId: number;
  /** Users in the run. */
  users: number;
  /** Users drawn on the map. */
  mapPoints: number;
  segments: number;
  graphNodes: number;
  graphEdges: number;
  evalRunId: number | null;
}

export interface Report {
  html: string;
  stats: ReportStats;
}

export function buildReport(db: DB, options: ReportOptions = {}): Report {
  const o = resolveReportOptions(options);
  const data = loadReportData(db, o.run);
  const points = projectUsers(data.users, o.maxPoints, o.seed);
  const graph = layoutSegmentGraph(data.segments, o.productsPerSegment, o.layoutIterations, o.seed);
  const segmentNodes = graph.nodes.filter((n) => n.kind === 'segment').length;
  const html = renderPage({
    data,
    points,
    mapSvg: renderMap(data.users, points),
    graphSvg: renderGraph(graph),
    graphCounts: { segments: segmentNodes, products: graph.nodes.length - segmentNodes, edges: graph.edges.length },
    title: o.title ?? `Customer segments — run ${data.run.id}`,
    generatedAt: o.generatedAt,
  });
  return {
    html,
    stats: {
      runId: data.run.id,
      users: data.users.ids.length,
      mapPoints: points.rows.length,
      segments: data.segments.length,
      graphNodes: graph.nodes.length,
      graphEdges: graph.edges.length,
      evalRunId: data.evaluation?.runId ?? null,
    },
  };
}

/** Writes through a temporary file and a rename, so a reader never sees half a report. */
export function writeReport(path: string, html: string): number {
  try {
    writeFileAtomic(path, html);
  } catch (err) {
    throw new GraphprofError(`${path}: cannot write the report: ${(err as Error).message}`);
  }
  return Buffer.byteLength(html);
}
