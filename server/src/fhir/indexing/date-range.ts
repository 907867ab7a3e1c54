/** A FHIR date, dateTime or instant as the instants it covers: `2020-03` covers all of March (UTC unless an offset is given). */
export interface DateRange {
  /** ISO-8601 UTC with milliseconds, so string order is time order. */
  low: string;
  high: string;
}

export const earliestDate = '0001-01-01T00:00:00.000Z';
export const latestDate = '9999-12-31T23:59:59.999Z';

const pattern = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The range a FHIR date value covers, or undefined when it is not a valid date. */
export function dateRange(value: string): DateRange | undefined {
  const match = pattern.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  if (mo === undefined) return { low: iso(Date.UTC(year, 0, 1)), high: iso(Date.UTC(year + 1, 0, 1) - 1) };
  const month = Number(mo);
  if (month < 1 || month > 12) return undefined;
  if (d === undefined) return { low: iso(Date.UTC(year, month - 1, 1)), high: iso(Date.UTC(year, month, 1) - 1) };
  const day = Number(d);
  const dayStart = Date.UTC(year, month - 1, day);
  if (day < 1 || new Date(dayStart).getUTCMonth() !== month - 1) return undefined;
  if (h === undefined) return { low: iso(dayStart), high: iso(dayStart + 86_400_000 - 1) };
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const text = `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${fraction ? fraction.slice(0, 4) : ''}${zone ?? 'Z'}`;
  const start = Date.parse(text);
  if (Number.isNaN(start)) return undefined;
  const width = fraction ? 1 : s === undefined ? 60_000 : 1000;
  return { low: iso(start), high: iso(start + width - 1) };
}
