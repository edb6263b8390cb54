/**
 * Short human-readable segment names from a segment's top category and its
 * distinctive terms: "Headphones & Audio · soundstage, dac". Terms that
 * repeat the category ("headphones" under "Headphones & Audio", 乐器 under
 * 乐器) are skipped; Chinese terms are joined with "、". Names are unique
 * within a run: segments that would share a name get more terms, then their
 * second category, then a number ("(2)", "(3)" after the first).
 */

export interface NamingInput {
  /** Categories by how many members reviewed them, most first. */
  topCategories: readonly string[];
  /** Distinctive terms, best first (e.g. SegmentDescription.terms). */
  terms: readonly string[];
  /** Stable id, for the fallback name of a segment with neither ("Segment 7"). */
  id?: number;
}

export const nameDefaults = {
  /** Terms in a name, before uniqueness asks for more. */
  terms: 2,
  /** Longest name; terms are dropped (never below one) and a long category is cut to fit. */
  maxChars: 60,
  separator: ' · ',
} as const;

const HAN = /\p{Script=Han}/u;

function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean));
}

/** True when the term only repeats the category: one of its words (or a plural/singular of one), or, for Chinese, a substring. */
export function repeatsCategory(term: string, category: string): boolean {
  const t = term.toLowerCase().trim();
  if (t === '') return true;
  if (HAN.test(t)) return category.includes(t);
  const words = wordsOf(category);
  return words.has(t) || words.has(`${t}s`) || words.has(`${t}es`) || (t.endsWith('s') && words.has(t.slice(0, -1)));
}

function joinTerms(terms: readonly string[]): string {
  return terms.every((t) => HAN.test(t)) ? terms.join('、') : terms.join(', ');
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

interface Plan {
  category: string;
  terms: string[];
  take: number;
  useSecond: boolean;
}

function render(input: NamingInput, plan: Plan, maxChars: number): string {
  const category = plan.useSecond && input.topCategories[1] ? `${plan.category} & ${input.topCategories[1]}` : plan.category;
  let take = Math.min(plan.take, plan.terms.length);
  const compose = (n: number): string => {
    const terms = joinTerms(plan.terms.slice(0, n));
    if (!category) return terms;
    return terms ? `${category}${nameDefaults.separator}${terms}` : category;
  };
  let name = compose(take);
  while (name.length > maxChars && take > 1) name = compose(--take);
  if (name.length > maxChars && category) {
    const terms = joinTerms(plan.terms.slice(0, take));
    const room = maxChars - (terms ? nameDefaults.separator.length + terms.length : 0);
    name = terms ? `${cut(category, Math.max(8, room))}${nameDefaults.separator}${terms}` : cut(category, maxChars);
  }
  return name || `Segment ${input.id ?? '?'}`;
}

/** One unique name per segment, in input order. */
export function nameSegments(segments: readonly NamingInput[], opts: { terms?: number; maxChars?: number } = {}): string[] {
  const maxChars = opts.maxChars ?? nameDefaults.maxChars;
  const plans: Plan[] = segments.map((s) => {
    const category = (s.topCategories[0] ?? '').trim();
    const seen = new Set<string>();
    const terms = s.terms.map((t) => t.trim()).filter((t) => {
      const key = t.toLowerCase();
      if (seen.has(key) || repeatsCategory(t, category)) return false;
      seen.add(key);
      return true;
    });
    return { category, terms, take: opts.terms ?? nameDefaults.terms, useSecond: false };
  });
  const names = segments.map((s, i) => render(s, plans[i]!, maxChars));
  // Resolve collisions: more terms while that helps, then the second category, then numbers.
  for (let round = 0; round < 50; round++) {
    const groups = new Map<string, number[]>();
    names.forEach((n, i) => groups.set(n, [...(groups.get(n) ?? []), i]));
    const clashes = [...groups.values()].filter((g) => g.length > 1);
    if (clashes.length === 0) break;
    let changed = false;
    for (const group of clashes) {
      for (const i of group) {
        const p = plans[i]!;
        if (p.take < p.terms.length) p.take++;
        else if (!p.useSecond && segments[i]!.topCategories.length > 1) p.useSecond = true;
        else continue;
        names[i] = render(segments[i]!, p, maxChars);
        changed = true;
      }
    }
    if (!changed) break;
  }
  // Still equal (same category and terms): the first keeps the name, the others are numbered.
  const used = new Set<string>(names);
  const seen = new Set<string>();
  return names.map((n) => {
    if (!seen.has(n)) {
      seen.add(n);
      return n;
    }
    let k = 2;
    while (used.has(`${n} (${k})`)) k++;
    const numbered = `${n} (${k})`;
    used.add(numbered);
    return numbered;
  });
}
