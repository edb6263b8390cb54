/**
 * Builds the sample shop's product catalog: readable titles
 * ("Kestrel Trail Running Shoes 2") spread evenly over the sold categories,
 * with a long-tailed popularity so a few products collect many reviews.
 */
import type { Prng } from '../util/random.js';
import { CATEGORIES, categoryByName, MODEL_SUFFIXES, type CategoryDef } from './catalog-vocabulary.js';

export interface SampleProduct {
  productId: string;
  title: string;
  category: string;
  brand: string;
  /** The item's name as a review would mention it ("trail running shoes"). */
  noun: string;
}

export interface Catalog {
  products: SampleProduct[];
  categories: string[];
  /** Indices into `products`, per category (same order as `categories`). */
  byCategory: number[][];
  /** Relative popularity per product (Zipf-like within its category). */
  popularity: Float64Array;
}

const KEEP_CASE = new Set(['Wi-Fi']);

/** Lower-cases ordinary capitalised words but keeps acronyms ("USB-C", "DAC") and "Wi-Fi". */
export function itemNoun(item: string): string {
  return item
    .split(' ')
    .map((w) => (!KEEP_CASE.has(w) && /^[A-Z][a-z]+(-[A-Za-z][a-z]+)*$/.test(w) ? w.toLowerCase() : w))
    .join(' ');
}

export function padId(prefix: string, n: number, total: number): string {
  const width = Math.max(4, String(total).length);
  return prefix + String(n).padStart(width, '0');
}

/** `defs` names the brands and items of each category (English by default, catalog-vocabulary-zh.ts for Chinese). */
export function buildCatalog(rng: Prng, categories: readonly string[], productCount: number, defs: readonly CategoryDef[] = CATEGORIES): Catalog {
  const products: SampleProduct[] = [];
  const byCategory: number[][] = categories.map(() => []);
  const titles = new Set<string>();
  const base = Math.floor(productCount / categories.length);
  const extra = productCount % categories.length;
  categories.forEach((name, ci) => {
    const def = categoryByName(name, defs);
    const count = base + (ci < extra ? 1 : 0);
    const items = rng.shuffle([...def.items]);
    for (let j = 0; j < count; j++) {
      const item = items[j % items.length];
      const brand = rng.pick(def.brands);
      const title = uniqueTitle(rng, `${brand} ${item}`, titles);
      byCategory[ci].push(products.length);
      products.push({ productId: '', title, category: name, brand, noun: itemNoun(item) });
    }
  });
  // Ids are assigned after a shuffle so id order does not reveal the category.
  const order = rng.shuffle(products.map((_, i) => i));
  order.forEach((pi, rank) => {
    products[pi].productId = padId('P', rank + 1, productCount);
  });
  const popularity = new Float64Array(products.length);
  for (const members of byCategory) {
    const ranks = rng.shuffle(members.map((_, r) => r));
    members.forEach((pi, k) => {
      popularity[pi] = 1 / (1 + ranks[k] * 0.35);
    });
  }
  return { products, categories: [...categories], byCategory, popularity };
}

function uniqueTitle(rng: Prng, base: string, taken: Set<string>): string {
  let title = base;
  if (taken.has(title) || rng.chance(0.2)) title = `${base} ${rng.pick(MODEL_SUFFIXES)}`;
  for (let v = 2; taken.has(title); v++) title = `${base} ${v}`;
  taken.add(title);
  return title;
}
