/**
 * The shape a bench module's `run()` resolves with: one row per figure, the kit's and matrix-js-sdk's
 * values measured in the same run (and matrix-js-sdk's widget mode where measured). bench/run.mjs prints
 * them side by side with the kit's ratio to each.
 */
export interface BenchRow {
  readonly metric: string;
  readonly unit: string;
  readonly kit?: number;
  readonly jsSdk?: number;
  /** matrix-js-sdk in its own widget mode (createRoomWidgetClient), where a bench measures it. */
  readonly jsSdkWidget?: number;
  /** The same figure with the kit's previous behaviour (restored by an option), measured in the same run. */
  readonly before?: number;
  /** For figures taken over several runs: how many runs and their 90th percentile, per column. */
  readonly spread?: Partial<Record<BenchColumn, Spread>>;
}

export type BenchColumn = 'kit' | 'jsSdk' | 'jsSdkWidget' | 'before';

export interface Spread {
  readonly n: number;
  readonly p90: number;
}

/** The median of `values` and its spread (n, p90); undefined when there are none. */
export function summarize(values: readonly number[]): { median: number; spread: Spread } | undefined {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return undefined;
  return { median: median(finite), spread: { n: finite.length, p90: p90(finite) } };
}

export interface BenchReport {
  readonly title: string;
  readonly note?: string;
  readonly rows: readonly BenchRow[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The 90th percentile (nearest rank). */
export function p90(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)]!;
}

/** A row with only the kit's figure: the median of `values`, with its n and p90. */
export function kitRow(metric: string, unit: string, values: readonly number[]): BenchRow {
  const summary = summarize(values);
  return summary ? { metric, unit, kit: summary.median, spread: { kit: summary.spread } } : { metric, unit };
}
