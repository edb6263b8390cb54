/**
 * The growth step of every append-only typed buffer (arcs, review columns):
 * a copy of the array, twice as long or `min` long if that is more, with its
 * elements kept. Doubling keeps appends amortised O(1).
 */
export type GrowableArray = Uint8Array | Int8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export function grown<T extends GrowableArray>(a: T, min = a.length + 1): T {
  const make = a.constructor as new (length: number) => T;
  const b = new make(Math.max(min, a.length * 2, 16));
  b.set(a);
  return b;
}
