/** Number formatting for human output. */
export function percent(fraction: number, digits = 2): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function ratio(value: number | null, digits = 2): string {
  return value === null || !Number.isFinite(value) ? '-' : `${value.toFixed(digits)}x`;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

export function bytes(value: number): string {
  let v = value;
  let unit = 0;
  while (v >= 1000 && unit < UNITS.length - 1) {
    v /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(v)} B` : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${UNITS[unit]}`;
}

/** "N more (see --json)" line when a table was cut. */
export function more(total: number, shown: number, what: string): string[] {
  return total > shown ? [`... ${total - shown} more ${what} (--limit 0 shows all, --json lists them)`] : [];
}
