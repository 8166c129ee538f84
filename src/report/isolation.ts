import type { IsolationResult, LabEvent } from '../labs/isolation-lab.js';
import { ANOMALIES, ISOLATION_LEVELS } from '../labs/isolation-scripts.js';
import { paint, type Style } from './paint.js';

/** paint with the style first: the tables below read better that way. */
const paintAs = (style: Style, text: string, color: boolean) => paint(text, style, color);

const S: Record<string, Style> = {
  bold: { bold: true },
  dim: { dim: true },
  red: { colour: 'red' },
  green: { colour: 'green' },
  yellow: { colour: 'yellow' },
};

export interface RenderOptions {
  color: boolean;
}

/** Pad by visible width, before painting, so colour codes never break the columns. */
const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - text.length));

/** The anomalies × levels table of what PostgreSQL did. */
export function renderIsolationTable(rows: readonly IsolationResult[], { color }: RenderOptions): string {
  const scripts = ANOMALIES.filter((script) => rows.some((row) => row.anomaly === script.id));
  const idWidth = Math.max(...scripts.map((script) => script.id.length)) + 2;
  const labels = scripts.map((script) => pad(script.id, idWidth) + script.name);
  const first = Math.max(...labels.map((label) => label.length), 'anomaly'.length) + 2;
  const widths = ISOLATION_LEVELS.map((level) => Math.max(level.length, 'prevented'.length) + 2);
  const header =
    pad('anomaly', first) +
    ISOLATION_LEVELS.map((level, i) => pad(level, widths[i] ?? 0))
      .join('')
      .trimEnd();
  const lines = [paintAs(S.bold!, header, color)];
  scripts.forEach((script, s) => {
    const cells = ISOLATION_LEVELS.map((level, i) => {
      const observed = rows.find((row) => row.anomaly === script.id && row.level === level)?.observed ?? '—';
      const style = observed === 'occurs' ? S.red! : observed === 'prevented' ? S.green! : S.dim!;
      return paintAs(
        style,
        i === ISOLATION_LEVELS.length - 1 ? observed : pad(observed, widths[i] ?? 0),
        color,
      );
    });
    lines.push(pad(labels[s] ?? '', first) + cells.join(''));
  });
  return lines.join('\n');
}

/** What the two words mean, and the PostgreSQL facts the table rests on. */
export function renderIsolationLegend({ color }: RenderOptions): string {
  return [
    `${paintAs(S.red!, 'occurs', color)}     PostgreSQL let the anomaly happen at this level`,
    `${paintAs(S.green!, 'prevented', color)}  it did not: a statement waited for a lock, a transaction aborted (40001),`,
    '           or reads never saw the other transaction’s write',
    paintAs(
      S.dim!,
      'READ UNCOMMITTED behaves as READ COMMITTED in PostgreSQL; REPEATABLE READ is snapshot isolation.',
      color,
    ),
  ].join('\n');
}

function eventLine(event: LabEvent, sqlWidth: number, color: boolean): string {
  const sql = event.resumed ? `(resumed) ${event.sql}` : event.sql;
  const result =
    event.status === 'blocked'
      ? paintAs(S.yellow!, `… ${event.result}`, color)
      : event.status === 'failed'
        ? paintAs(S.red!, `ERROR ${event.result}`, color)
        : event.result;
  return `    ${event.session}  ${pad(sql, sqlWidth)}  ${result}`;
}

/** One script's interleaving, step by step, with what each statement answered. */
export function renderIsolationInterleaving(result: IsolationResult, { color }: RenderOptions): string {
  const script = ANOMALIES.find((s) => s.id === result.anomaly);
  const sqlWidth = Math.max(...result.events.map((e) => e.sql.length + (e.resumed ? 10 : 0)));
  const verdict = paintAs(result.observed === 'occurs' ? S.red! : S.green!, result.observed, color);
  return [
    `${paintAs(S.bold!, `${result.anomaly} ${script?.name ?? ''}`.trim(), color)} at ${result.level}: ${verdict}`,
    `  ${result.how}`,
    ...result.events.map((event) => eventLine(event, sqlWidth, color)),
  ].join('\n');
}

export interface LabReportOptions extends RenderOptions {
  verbose: boolean;
  server: { version: string; source: 'embedded' | 'DATABASE_URL' };
}

/** The whole plain-text report of `racelings lab isolation`. */
export function renderIsolationReport(rows: readonly IsolationResult[], opts: LabReportOptions): string {
  const where = opts.server.source === 'embedded' ? 'embedded' : 'from DATABASE_URL';
  const parts = [
    paintAs(S.bold!, `Isolation anomalies on PostgreSQL ${opts.server.version} (${where})`, opts.color),
    '',
    renderIsolationTable(rows, opts),
    '',
    renderIsolationLegend(opts),
  ];
  if (opts.verbose) for (const row of rows) parts.push('', renderIsolationInterleaving(row, opts));
  else parts.push('', 'Run with --verbose to see each script’s interleaving.');
  return parts.join('\n');
}
