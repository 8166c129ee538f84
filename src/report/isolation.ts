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

/** Column widths of the table: from every script, so rows printed as they come stay aligned. */
function tableWidths() {
  const idWidth = Math.max(...ANOMALIES.map((script) => script.id.length)) + 2;
  const labels = ANOMALIES.map((script) => pad(script.id, idWidth) + script.name);
  const first = Math.max(...labels.map((label) => label.length), 'anomaly'.length) + 2;
  const widths = ISOLATION_LEVELS.map((level) => Math.max(level.length, 'prevented'.length) + 2);
  return { idWidth, first, widths };
}

/** The table's header line: one column per level. */
export function renderIsolationHeader({ color }: RenderOptions): string {
  const { first, widths } = tableWidths();
  const header =
    pad('anomaly', first) +
    ISOLATION_LEVELS.map((level, i) => pad(level, widths[i] ?? 0))
      .join('')
      .trimEnd();
  return paintAs(S.bold!, header, color);
}

/** One anomaly's line of the table: its code, its name in words, what each level did. */
export function renderIsolationRow(
  id: string,
  rows: readonly IsolationResult[],
  { color }: RenderOptions,
): string {
  const script = ANOMALIES.find((candidate) => candidate.id === id);
  const { idWidth, first, widths } = tableWidths();
  const cells = ISOLATION_LEVELS.map((level, i) => {
    const observed = rows.find((row) => row.anomaly === id && row.level === level)?.observed ?? '—';
    const style = observed === 'occurs' ? S.red! : observed === 'prevented' ? S.green! : S.dim!;
    return paintAs(
      style,
      i === ISOLATION_LEVELS.length - 1 ? observed : pad(observed, widths[i] ?? 0),
      color,
    );
  });
  return pad(pad(id, idWidth) + (script?.name ?? ''), first) + cells.join('');
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

/**
 * One anomaly for `--verbose`: what it is, one line per level (what PostgreSQL did and how), then
 * the script once — as it ran at the first level that let the anomaly happen (else the first).
 */
export function renderIsolationAnomaly(rows: readonly IsolationResult[], { color }: RenderOptions): string {
  const first = rows[0]!;
  const script = ANOMALIES.find((s) => s.id === first.anomaly);
  const shown = rows.find((row) => row.observed === 'occurs') ?? first;
  const levelWidth = Math.max(...ISOLATION_LEVELS.map((level) => level.length));
  const sqlOf = (event: LabEvent) => event.sql.replace(/^BEGIN ISOLATION LEVEL .*/i, 'BEGIN');
  const sqlWidth = Math.max(...shown.events.map((e) => sqlOf(e).length + (e.resumed ? 10 : 0)));
  return [
    `${paintAs(S.bold!, `${first.anomaly} — ${script?.name ?? ''}`, color)}: ${script?.summary ?? ''}`,
    ...rows.map((row) => {
      const verdict = paintAs(row.observed === 'occurs' ? S.red! : S.green!, pad(row.observed, 9), color);
      return `  ${pad(row.level, levelWidth)}  ${verdict}  ${row.how}`;
    }),
    `  the script, as it ran at ${shown.level}:`,
    ...shown.events.map((event) => eventLine({ ...event, sql: sqlOf(event) }, sqlWidth, color)),
  ].join('\n');
}

export interface LabReportOptions extends RenderOptions {
  server: { version: string; source: 'embedded' | 'DATABASE_URL' };
}

/** The title line of the report: which server answered. */
export function renderIsolationTitle(opts: LabReportOptions): string {
  const where = opts.server.source === 'embedded' ? 'embedded' : 'from DATABASE_URL';
  return paintAs(S.bold!, `Isolation anomalies on PostgreSQL ${opts.server.version} (${where})`, opts.color);
}

/** `--verbose`: one block per anomaly, each after a blank line. */
export function renderIsolationDetails(rows: readonly IsolationResult[], opts: RenderOptions): string[] {
  return ANOMALIES.filter((script) => rows.some((row) => row.anomaly === script.id)).flatMap((script) => [
    '',
    renderIsolationAnomaly(
      rows.filter((row) => row.anomaly === script.id),
      opts,
    ),
  ]);
}
