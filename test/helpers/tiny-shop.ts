/**
 * A tiny generic-layout shop for the safety and fault tests: `users` users who
 * each review `perUser` of `products` products, so a train with --text-weight 0
 * takes well under a second. `first` shifts user ids and timestamps, so a second
 * file holds new reviews (and returning users) for refresh tests.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TinyShop {
  users?: number;
  products?: number;
  perUser?: number;
  /** Number of the first review; reviews of one file get consecutive numbers from here. */
  first?: number;
}

export function tinyShopCsv(o: TinyShop = {}): string {
  const users = o.users ?? 30;
  const products = o.products ?? 12;
  const perUser = o.perUser ?? 4;
  const first = o.first ?? 0;
  const lines = ['review_id,user_id,product_id,rating,text,timestamp'];
  let n = first;
  for (let u = 0; u < users; u++) {
    for (let j = 0; j < perUser; j++) {
      // Users fall into three groups that review neighbouring products, so the graph has structure.
      const p = ((u % 3) * 4 + j + Math.floor(first / 7)) % products;
      lines.push(`R${n},U${u},P${p},${1 + ((u + j) % 5)},review ${n} of product ${p},${1_600_000_000 + n * 3600}`);
      n++;
    }
  }
  return lines.join('\n') + '\n';
}

/** Writes the tiny shop as `name` in `dir`; returns its path. */
export function writeTinyShop(dir: string, name = 'reviews.csv', o: TinyShop = {}): string {
  const file = join(dir, name);
  writeFileSync(file, tinyShopCsv(o));
  return file;
}

/** Options of a train that takes a fraction of a second on the tiny shop (no text model). */
export const quickTrain = { textWeight: 0, dim: 8, walksPerNode: 2, walkLength: 10, window: 3, threads: 1, clusters: 3 } as const;
/** The same as command-line flags. */
export const quickTrainFlags = ['--text-weight', '0', '--dim', '8', '--walks', '2', '--walk-length', '10', '--window', '3', '--threads', '1', '--clusters', '3', '--quiet'];
