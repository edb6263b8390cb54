/**
 * Interning: the index of `key` in `keys`, appending it on first sight, with
 * `index` the key -> position map kept alongside (review table ids, distinct texts).
 */
export function intern(index: Map<string, number>, keys: string[], key: string): number {
  let i = index.get(key);
  if (i === undefined) {
    i = keys.length;
    index.set(key, i);
    keys.push(key);
  }
  return i;
}
