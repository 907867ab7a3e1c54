import { writeFileSync } from 'node:fs';

export interface Figure {
  benchmark: string;
  metric: string;
  value: number;
  unit: string;
  /** The goal the product sets for it, for the reader; the bench never fails on it. */
  goal?: string;
}

/** Collects the figures of one run, prints them as a table and writes them as JSON. */
export class Results {
  readonly figures: Figure[] = [];

  add(figure: Figure): void {
    this.figures.push(figure);
    const value = Number.isInteger(figure.value) ? String(figure.value) : figure.value.toFixed(2);
    console.log(`  ${figure.metric}: ${value} ${figure.unit}${figure.goal ? `  (goal ${figure.goal})` : ''}`);
  }

  print(): void {
    const rows = this.figures.map((f) => [f.benchmark, f.metric, Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(2), f.unit, f.goal ?? '']);
    const header = ['benchmark', 'metric', 'value', 'unit', 'goal'];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    const line = (cells: string[]) => cells.map((cell, column) => (column === 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ');
    console.log(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
    for (const row of rows) console.log(line(row));
  }

  write(file: string, context: Record<string, unknown>): void {
    writeFileSync(file, `${JSON.stringify({ ...context, figures: this.figures }, null, 2)}\n`);
  }
}
