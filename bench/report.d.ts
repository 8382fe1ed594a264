// Types of bench/report.js (plain JavaScript, so that bench/run.js and scripts/bench-table.js run
// without a build), for the tests that check it (test/bench/report.test.ts).

/** A results document: bench/.results/latest.json. */
export interface BenchResults {
  schema: string;
  node: string;
  date: string;
  durationSeconds?: number;
  machine?: { cores?: number; cpu?: string; loadAverageAtStart?: number };
  parts?: string[];
  peers?: Partial<Record<'ringpop' | 'tchannel' | 'serf' | 'autocannon' | 'wrk', string | null>>;
  /** samples[series][side]: one figure per run. */
  samples: Record<string, Record<string, number[]>>;
  raw?: unknown;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export type GoalStatus = 'met' | 'missed' | 'unmeasured' | 'not-applicable';

export interface GoalOutcome {
  id: string;
  benchmark: string;
  goal: string;
  status: GoalStatus;
  value: number | null;
  note: string;
}

export interface Row {
  id: string;
  section: string;
  benchmark: string;
  unit: string;
  better: 'higher' | 'lower';
  ringside: string;
  peers: { name: (peers: NonNullable<BenchResults['peers']>) => string | null; series: string; unit?: string }[];
  ratio?: { peer?: number; row?: string; style?: 'relative'; words?: string };
  goal?: { text: string; measure: 'median' | 'advantage' | 'relative' | 'ofRow'; peer?: number; row?: string; op: '>=' | '<=' | '<'; limit: number; unit: string; requires?: { cores: number; why: string } };
}

export const SCHEMA: string;
export const ROWS: readonly Row[];
export const COLUMNS: readonly string[];
export function median(values: readonly number[]): number;
export function spread(values: unknown): Spread | null;
export function formatSpread(s: Spread | null, unit: string): string;
export function evaluateGoals(results: BenchResults): GoalOutcome[];
export function failedGoals(results: BenchResults): GoalOutcome[];
export function tableRows(results: BenchResults): string[][];
export function describeRun(results: BenchResults): string;
export function markdownTable(results: BenchResults): string;
export function textTable(results: BenchResults): string;
export function checkReport(results: BenchResults): string[];
