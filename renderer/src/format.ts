const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

export function formatDateTime(iso: string): string {
  const value = new Date(iso);
  return Number.isNaN(value.getTime()) ? iso : dateTime.format(value);
}

export function formatDate(iso: string): string {
  const value = new Date(iso);
  return Number.isNaN(value.getTime()) ? iso : date.format(value);
}

/** "3 days 4 h", "2 h 5 min", "12 min", "40 s". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) {
    return `${plural(days, 'day')}${hours > 0 ? ` ${hours} h` : ''}`;
  }
  if (hours > 0) {
    return `${hours} h${minutes > 0 ? ` ${minutes} min` : ''}`;
  }
  return minutes > 0 ? `${minutes} min` : `${seconds} s`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A FHIR date ("1970-04-12", "1970-04", "1970") as written on a form, without time-zone shifts. */
export function formatFhirDate(value: string): string {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (match === null) {
    return formatDate(value);
  }
  const [, year, month, day] = match;
  if (month === undefined) {
    return year!;
  }
  const local = new Date(Number(year), Number(month) - 1, day === undefined ? 1 : Number(day));
  return day === undefined
    ? new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'long' }).format(local)
    : date.format(local);
}
