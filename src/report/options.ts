/**
 * Options of the HTML report and their defaults, resolved and checked in one
 * place. The point cap keeps a 10k-user map readable and the file small; the
 * product count bounds the segment graph to a picture a person can read.
 */
import { integerIn, OptionError } from '../util/errors.js';

export interface ReportOptions {
  /** Run id, or 'latest' (newest complete train or refresh run). */
  run?: number | 'latest';
  /** Most users drawn on the map; above it, a per-segment sample is drawn (and the caption says so). */
  maxPoints?: number;
  /** Top products per segment in the segment graph. */
  productsPerSegment?: number;
  /** Force-directed layout iterations of the segment graph. */
  layoutIterations?: number;
  /** Seed of the map sample and of the graph's initial positions. */
  seed?: number;
  /** Page title (default: "graphprof report — run N"). */
  title?: string;
  /** Fixed "generated at" time, so two builds of one run give identical files. */
  generatedAt?: Date;
}

export type ResolvedReportOptions = Required<Omit<ReportOptions, 'title'>> & Pick<ReportOptions, 'title'>;

export const reportDefaults = {
  run: 'latest' as number | 'latest',
  maxPoints: 10_000,
  productsPerSegment: 5,
  layoutIterations: 400,
  seed: 42,
} as const;

const intIn = (option: string, value: number, min: number, max: number): number => integerIn('buildReport', option, value, min, max);

export function resolveReportOptions(o: ReportOptions = {}): ResolvedReportOptions {
  const d = reportDefaults;
  return {
    run: o.run ?? d.run,
    maxPoints: intIn('maxPoints', o.maxPoints ?? d.maxPoints, 1, 1_000_000),
    productsPerSegment: intIn('productsPerSegment', o.productsPerSegment ?? d.productsPerSegment, 1, 50),
    layoutIterations: intIn('layoutIterations', o.layoutIterations ?? d.layoutIterations, 1, 100_000),
    seed: intIn('seed', o.seed ?? d.seed, 0, Number.MAX_SAFE_INTEGER),
    title: o.title,
    generatedAt: o.generatedAt ?? new Date(),
  };
}
