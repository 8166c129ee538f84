import { GOTCHAS, type LocksLabResult, VARIANTS } from '../labs/locks-lab.js';
import { type Colour, paint, type Style } from './paint.js';
import { wrap } from './wrap.js';

const wrapWords = (text: string, width: number) => wrap(text, Math.max(10, width));

export interface LocksTableOptions {
  color: boolean;
  /** Terminal columns: the descriptions under each row wrap to it. */
  width: number;
}

/** Pad by visible width, before painting, so colour codes never break the columns. */
const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - text.length));

const ID_WIDTH = Math.max(...GOTCHAS.map((g) => g.id.length)) + 2;
const CELL_WIDTH = Math.max(...VARIANTS.map((v) => v.length), 'prevented'.length) + 2;

/** The table's heading lines, printed before any row has run. */
export function renderLocksHeader(
  server: { version: string; where: string; source: string },
  { color, width }: LocksTableOptions,
): string {
  const where = server.source === 'private' ? 'a private redis-server' : `REDIS_URL ${server.where}`;
  return [
    ...wrapWords(`Redis lock gotchas on Redis ${server.version} (${where})`, width).map((line) =>
      paint(line, { bold: true }, color),
    ),
    '',
    paint(
      `${pad('gotcha', ID_WIDTH)}${VARIANTS.map((v) => pad(v, CELL_WIDTH)).join('')}`.trimEnd(),
      { bold: true },
      color,
    ),
  ].join('\n');
}

/** One gotcha's row, once both of its runs have ended, with what it is and its fix beneath. */
export function renderLocksRow(
  results: readonly LocksLabResult[],
  gotchaId: string,
  { color, width }: LocksTableOptions,
): string {
  const gotcha = GOTCHAS.find((g) => g.id === gotchaId)!;
  const cells = VARIANTS.map((variant, i) => {
    const observed = results.find((r) => r.gotcha === gotchaId && r.variant === variant)?.observed ?? '—';
    const style: Style =
      observed === 'occurs'
        ? { colour: 'red' }
        : observed === 'prevented'
          ? { colour: 'green' }
          : { dim: true };
    return paint(i === VARIANTS.length - 1 ? observed : pad(observed, CELL_WIDTH), style, color);
  });
  const about = wrapWords(`${gotcha.name}; the fix: ${gotcha.fix}`, width - 2).map((line) =>
    paint(`  ${line}`, { dim: true }, color),
  );
  return [`${pad(gotcha.id, ID_WIDTH)}${cells.join('')}`, ...about].join('\n');
}

/** What the words mean, where fencing tokens may come from, and the exercises that practise it. */
export function renderLocksLegend({ color, width }: LocksTableOptions): string {
  const wrapped = (text: string) => wrapWords(text, width);
  const term = (word: string, colour: Colour, meaning: string) =>
    wrapWords(meaning, width - 11).map(
      (line, i) => (i === 0 ? paint(pad(word, 11), { colour }, color) : ' '.repeat(11)) + line,
    );
  return [
    ...term(
      'occurs',
      'red',
      'the harm happened on the server: a zombie write, two holders, a lock nobody gets',
    ),
    ...term('prevented', 'green', 'the fix stopped it'),
    '',
    ...wrapped(
      'Time passing is a step of each run: the lab expires every key that has a TTL (PEXPIRE key 0) instead of waiting. ' +
        'The fencing tokens here come from INCR on this one Redis; with replicas, a failover can lose the count and hand a ' +
        'token out twice. Take tokens from the store you protect, or from a consensus system (etcd, ZooKeeper).',
    ).map((line) => paint(line, { dim: true }, color)),
    '',
    ...wrapped(
      `Practise it: ${[...new Set(GOTCHAS.map((g) => g.exercise))].map((id) => `racelings check ${id}`).join(' · ')}`,
    ),
  ].join('\n');
}

/** One run's steps, actor by actor, with what the server answered; a reply that does not fit goes below. */
export function renderLocksSteps(
  result: LocksLabResult,
  { color, width: columns }: LocksTableOptions,
): string {
  const gotcha = GOTCHAS.find((g) => g.id === result.gotcha)!;
  const width = Math.max(...result.steps.filter((s) => s.result).map((step) => step.action.length));
  const verdict = paint(result.observed, { colour: result.observed === 'occurs' ? 'red' : 'green' }, color);
  const indent = ' '.repeat(13);
  const wrapped = (text: string, first: string, rest: string) =>
    wrapWords(text, columns - rest.length).map((line, i) => (i === 0 ? first : rest) + line);
  return [
    `${paint(`${gotcha.id}, ${result.variant}`, { bold: true }, color)}: ${verdict}`,
    ...wrapped(result.how, '  ', '  '),
    ...result.steps.map((step) => {
      const actor = pad(step.actor, 5);
      if (step.actor === 'clock') {
        const lines = wrapped(`⏰ ${step.action}: ${step.result}`, `    ${actor}  `, indent);
        return paint(lines.join('\n'), { colour: 'yellow' }, color);
      }
      if (!step.result) return paint(`    ${actor}  ${step.action}`, { dim: true }, color);
      const line = `    ${actor}  ${pad(step.action, width)}  → ${step.result}`;
      if (line.length <= columns) return line;
      return [...wrapped(step.action, `    ${actor}  `, indent), `${indent}→ ${step.result}`].join('\n');
    }),
  ].join('\n');
}
