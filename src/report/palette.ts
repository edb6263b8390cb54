/**
 * Segment colours and marker shapes. The colours are Paul Tol's "muted"
 * qualitative scheme (designed to stay distinct for the common forms of
 * colour blindness and on white) plus a dark grey; from the eleventh segment
 * on, colours repeat and the marker shape changes (circle, then square,
 * then diamond), so every segment up to 30 has its own colour/shape pair.
 * Unassigned users are a light grey with no shape of their own.
 */

export const segmentColours: readonly string[] = [
  '#332288', // indigo
  '#88CCEE', // cyan
  '#44AA99', // teal
  '#117733', // green
  '#999933', // olive
  '#DDCC77', // sand
  '#CC6677', // rose
  '#882255', // wine
  '#AA4499', // purple
  '#555555', // dark grey
];

export type MarkerShape = 'circle' | 'square' | 'diamond';
const shapes: readonly MarkerShape[] = ['circle', 'square', 'diamond'];

export const unassignedColour = '#BBBBBB';

export function segmentColour(segment: number): string {
  return segment < 0 ? unassignedColour : segmentColours[segment % segmentColours.length];
}

export function segmentShape(segment: number): MarkerShape {
  return segment < 0 ? 'circle' : shapes[Math.floor(segment / segmentColours.length) % shapes.length];
}

/** Text colour that stays readable on a segment's colour (WCAG relative luminance). */
export function textOn(colour: string): string {
  const c = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  const luminance = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  return luminance > 0.22 ? '#111111' : '#FFFFFF';
}
