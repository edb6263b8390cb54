/**
 * The user map as inline SVG: one mark per drawn user, coloured (and from the
 * eleventh segment on, shaped) by segment. Marks carry only what the hover
 * tooltip needs (data-u: the user id; the class names the segment), so 10k
 * users stay near 0.75 MB. Coordinates are integers in a 1000-unit box.
 */
import { esc } from './format.js';
import type { ReportUsers } from './data.js';
import { segmentShape } from './palette.js';
import type { MapPoints } from './project.js';

export const mapSize = 1000;

/** Mark radius: large for a few hundred users, small enough to separate at 10k. */
export function markRadius(points: number): number {
  return Math.round(Math.min(7, Math.max(2.5, 260 / Math.sqrt(Math.max(1, points)))) * 10) / 10;
}

function mark(segment: number, x: number, y: number, r: number, user: string): string {
  const cls = `pt s${segment < 0 ? 'x' : segment}`;
  const u = esc(user);
  switch (segmentShape(segment)) {
    case 'circle':
      return `<circle class="${cls}" cx="${x}" cy="${y}" r="${r}" data-u="${u}"/>`;
    case 'square':
      return `<rect class="${cls}" x="${Math.round((x - r) * 10) / 10}" y="${Math.round((y - r) * 10) / 10}" width="${2 * r}" height="${2 * r}" data-u="${u}"/>`;
    case 'diamond': {
      const h = Math.round(13 * r) / 10;
      return `<path class="${cls}" d="M${x} ${Math.round((y - h) * 10) / 10}l${h} ${h}l-${h} ${h}l-${h} -${h}z" data-u="${u}"/>`;
    }
  }
}

export function renderMap(users: ReportUsers, points: MapPoints): string {
  const r = markRadius(points.rows.length);
  const marks: string[] = [];
  for (let i = 0; i < points.rows.length; i++) {
    const row = points.rows[i];
    marks.push(mark(users.segment[row], Math.round(points.x[i] * mapSize), Math.round(points.y[i] * mapSize), r, users.ids[row]));
  }
  return (
    `<svg class="chart map" data-chart="map" data-marks="${points.rows.length}" viewBox="0 0 ${mapSize} ${mapSize}" role="img" aria-labelledby="map-title map-desc">` +
    `<title id="map-title">Map of users coloured by segment</title>` +
    `<desc id="map-desc">${points.rows.length} users placed by the first two principal components of their fused profile vectors; nearby users have similar profiles.</desc>` +
    `<rect class="frame" x="0" y="0" width="${mapSize}" height="${mapSize}"/>` +
    `<g class="marks">${marks.join('')}</g></svg>`
  );
}
