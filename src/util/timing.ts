/**
 * Phase timer: records the wall time of each named phase of a job, in order,
 * so every command can print and store where its time went (as PecanPy does).
 */
export class PhaseTimer {
  private readonly order: string[] = [];
  private readonly seconds = new Map<string, number>();

  /**
   * `onPhase` is told each phase as it starts (a job passes its progress
   * hook: a phase that reports nothing itself then gets an elapsed-time line
   * once it runs two seconds; one that reports draws its own bar).
   */
  constructor(private readonly onPhase?: (phase: string) => unknown) {}

  async time<T>(phase: string, work: () => Promise<T> | T): Promise<T> {
    this.onPhase?.(phase);
    const start = process.hrtime.bigint();
    try {
      return await work();
    } finally {
      this.add(phase, Number(process.hrtime.bigint() - start) / 1e9);
    }
  }

  timeSync<T>(phase: string, work: () => T): T {
    this.onPhase?.(phase);
    const start = process.hrtime.bigint();
    try {
      return work();
    } finally {
      this.add(phase, Number(process.hrtime.bigint() - start) / 1e9);
    }
  }

  add(phase: string, seconds: number): void {
    if (!this.seconds.has(phase)) this.order.push(phase);
    this.seconds.set(phase, (this.seconds.get(phase) ?? 0) + seconds);
  }

  /** Phases in the order they first ran, seconds rounded to milliseconds. */
  toJSON(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const p of this.order) out[p] = Math.round((this.seconds.get(p) ?? 0) * 1000) / 1000;
    return out;
  }

  total(): number {
    let s = 0;
    for (const v of this.seconds.values()) s += v;
    return s;
  }
}
