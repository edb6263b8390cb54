/** "1 review", "2 reviews": a count with its noun (the nouns graphprof counts all take an "s"). */
export function counted(n: number, noun: string, show: (n: number) => string = String): string {
  return `${show(n)} ${n === 1 ? noun : `${noun}s`}`;
}
