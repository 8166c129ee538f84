import type { IsolationResult, LabEvent } from '../harness/isolation-lab.js';
import { ANOMALIES, ISOLATION_LEVELS } from '../harness/isolation-scripts.js';

export interface RenderOptions {
  color: boolean;
}

const SGR = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
const paint = (text: string, style: keyof typeof SGR, color: boolean) =>
  color ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text;

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
  const lines = [paint(header, 'bold', color)];
  scripts.forEach((script, s) => {
    const cells = ISOLATION_LEVELS.map((level, i) => {
      const observed = rows.find((row) => row.anomaly === script.id && row.level === level)?.observed ?? '—';
      const style = observed === 'occurs' ? 'red' : observed === 'prevented' ? 'green' : 'dim';
      return paint(
        i === ISOLATION_LEVELS.length - 1 ? observed : pad(observed, widths[i] ?? 0),
        style,
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
    `${paint('occurs', 'red', color)}     PostgreSQL let the anomaly happen at this level`,
    `${paint('prevented', 'green', color)}  it did not: a statement waited for a lock, a transaction aborted (40001),`,
    '           or reads never saw the other transaction’s write',
    paint(
      'READ UNCOMMITTED behaves as READ COMMITTED in PostgreSQL; REPEATABLE READ is snapshot isolation.',
      'dim',
      color,
    ),
  ].join('\n');
}

function eventLine(event: LabEvent, sqlWidth: number, color: boolean): string {
  const sql = event.resumed ? `(resumed) ${event.sql}` : event.sql;
  const result =
    event.status === 'blocked'
      ? paint(`… ${event.result}`, 'yellow', color)
      : event.status === 'failed'
        ? paint(`ERROR ${event.result}`, 'red', color)
        : event.result;
  return `    ${event.session}  ${pad(sql, sqlWidth)}  ${result}`;
}

/** One script's interleaving, step by step, with what each statement answered. */
export function renderIsolationInterleaving(result: IsolationResult, { color }: RenderOptions): string {
  const script = ANOMALIES.find((s) => s.id === result.anomaly);
  const sqlWidth = Math.max(...result.events.map((e) => e.sql.length + (e.resumed ? 10 : 0)));
  const verdict = paint(result.observed, result.observed === 'occurs' ? 'red' : 'green', color);
  return [
    `${paint(`${result.anomaly} ${script?.name ?? ''}`.trim(), 'bold', color)} at ${result.level}: ${verdict}`,
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
    paint(`Isolation anomalies on PostgreSQL ${opts.server.version} (${where})`, 'bold', opts.color),
    '',
    renderIsolationTable(rows, opts),
    '',
    renderIsolationLegend(opts),
  ];
  if (opts.verbose) for (const row of rows) parts.push('', renderIsolationInterleaving(row, opts));
  else parts.push('', 'Run with --verbose to see each script’s interleaving.');
  return parts.join('\n');
}
