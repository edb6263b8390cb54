/** What train, refresh and the queries print about stable segment ids and names, tags and drift. */
import type { DriftReport, RetrainDecision } from '../segment/drift.js';
import type { TrainSummary } from '../jobs/train.js';

/** The segment table of a train or refresh summary: stable id and name first. */
export function segmentRows(segments: TrainSummary['segments']): Record<string, unknown>[] {
  return segments.map((s) => ({ id: s.id, name: s.name, users: s.size, rating: s.meanRating, 'distinctive terms': s.label }));
}

/** "segments matched to run 3 by members: kept 0, 1, 3; new 5 (closest 2); vanished 4". */
export function matchLine(m: TrainSummary['match']): string {
  if (!m) return '';
  const by = m.by === 'overlap' ? 'members' : m.by;
  const kept = m.matched.map((x) => x.id).join(', ') || 'none';
  const created = m.created.map((x) => `${x.id}${x.closest === null ? '' : ` (closest ${x.closest}, ${x.similarity.toFixed(2)})`}`).join(', ');
  const vanished = m.vanished.map((x) => String(x.id)).join(', ');
  return `segments matched to run ${m.comparedRunId} by ${by}: ids kept ${kept}${created ? `; new ${created}` : ''}${vanished ? `; vanished ${vanished}` : ''}\n`;
}

/** "tags (score >= 2): price-sensitive 41, gift-buyer 12, ..." plus the fit's warnings. */
export function tagLine(t: TrainSummary['tags']): string {
  if (!t) return '';
  const top = Object.entries(t.counts).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const shown = top.slice(0, 8).map(([tag, n]) => `${tag} ${n}`).join(', ');
  return `tags (users with score >= ${t.threshold}): ${shown || 'none'}${top.length > 8 ? `, ... (${top.length} tags in all: graphprof tags)` : ''}\n` + t.warnings.map((w) => `note: tags: ${w}\n`).join('');
}

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/** The drift block of a refresh, and the trigger's decision. */
export function driftLines(d: DriftReport | undefined, decision: RetrainDecision | undefined): string {
  if (!d) return '';
  const line =
    `drift: ${d.drifted} of ${d.compared} users (${pct(d.share)}) drifted: ${d.vectorMoved} moved more than ${d.threshold}, ${d.segmentChanged} changed segment; ` +
    `distance p50 ${d.distance.p50.toFixed(3)}, p90 ${d.distance.p90.toFixed(3)}, max ${d.distance.max.toFixed(3)}; ${d.newUsers} new users\n`;
  return line + (decision ? `trigger: ${decision.reason}\n` : '');
}
