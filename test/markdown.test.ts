import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadLessons } from '../src/course/lessons.js';

// supports-hyperlinks decides once, at import: force OSC 8 support before the renderer loads.
process.env.FORCE_HYPERLINK = '1';
const { renderMarkdown } = await import('../src/report/markdown.js');

const ESC = '\u001B';
const BEL = '\u0007';
// Built from strings: biome rejects control characters in regex literals.
const OSC8 = new RegExp(`${ESC}\\]8;;[^${BEL}]*${BEL}`, 'g');
const SGR = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');
const stripAnsi = (line: string) => line.replace(OSC8, '').replace(SGR, '');
const plain = (md: string, width = 60) => renderMarkdown(md, { width, color: false });
const colored = (md: string, width = 60) => renderMarkdown(md, { width, color: true });

describe('renderMarkdown', () => {
  it('renders headings with an underline for the top two levels and bold in colour', () => {
    expect(plain('# Locks\n\n## Stripes\n\n### Why')).toEqual([
      'Locks',
      '═════',
      '',
      'Stripes',
      '───────',
      '',
      'Why',
    ]);
    const [title] = colored('# Locks');
    expect(title).toContain(`${ESC}[1m`);
    expect(stripAnsi(title ?? '')).toBe('Locks');
  });

  it('styles emphasis, bold and inline code in colour and keeps only their text without it', () => {
    const md = 'A *soft* and **hard** fact about `x++`.';
    expect(plain(md)).toEqual(['A soft and hard fact about x++.']);
    const [line] = colored(md);
    expect(line).toContain(`${ESC}[3msoft${ESC}[23m`);
    expect(line).toContain(`${ESC}[1mhard${ESC}[22m`);
    expect(line).toContain(`${ESC}[36mx++${ESC}[39m`);
    expect(stripAnsi(line ?? '')).toBe('A soft and hard fact about x++.');
  });

  it('wraps paragraphs at spaces within the width', () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const lines = plain(words, 30);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(30);
    expect(lines.join(' ')).toBe(words);
  });

  it('highlights TypeScript and SQL with colour on, and leaves text diagrams unstyled', () => {
    const ts = colored('```ts\nconst n = await kv.get("page");\n```');
    expect(ts.join('\n')).toContain(ESC);
    expect(stripAnsi(ts.join('\n'))).toBe('  const n = await kv.get("page");');
    const sql = colored('```sql\nUPDATE t SET n = n + 1 WHERE id = 1;\n```');
    expect(sql.join('\n')).toContain(ESC);
    const diagram = colored('```text\nrequest A    request B\n```');
    expect(diagram).toEqual(['  request A    request B']);
  });

  it('prints code without escape codes when colour is off', () => {
    expect(plain('```ts\nconst n = 1;\n```\n\n```sql\nSELECT 1;\n```')).toEqual([
      '  const n = 1;',
      '',
      '  SELECT 1;',
    ]);
  });

  it('draws tables with aligned columns, right alignment honoured', () => {
    const lines = plain(
      '| Level | Speed |\n|---|---:|\n| Read Committed | fast |\n| Serializable | slowest |',
    );
    expect(lines).toEqual([
      '┌────────────────┬─────────┐',
      '│ Level          │ Speed   │',
      '├────────────────┼─────────┤',
      '│ Read Committed │    fast │',
      '│ Serializable   │ slowest │',
      '└────────────────┴─────────┘',
    ]);
  });

  it('wraps table cells to fit a narrow terminal, keeping every row the same width', () => {
    const md =
      '| Option | Throughput | Memory |\n|---|---|---|\n| One lock for the whole map | serial, one at a time | minimal |';
    const lines = plain(md, 30);
    for (const line of lines) expect(line.length).toBe(lines[0]?.length);
    expect(lines[0]?.length).toBeLessThanOrEqual(30);
    expect(lines.join('\n')).toContain('serial');
  });

  it('renders bullet and numbered lists with one level of nesting, continuation lines indented', () => {
    expect(plain('- one\n  - inner\n- two\n\n1. first\n2. second')).toEqual([
      '• one',
      '  • inner',
      '• two',
      '',
      '1. first',
      '2. second',
    ]);
    const wrapped = plain('- alpha beta gamma delta epsilon zeta eta theta', 24);
    expect(wrapped[0]?.startsWith('• ')).toBe(true);
    expect(wrapped.slice(1).every((line) => line.startsWith('  '))).toBe(true);
  });

  it('shows a link as text (url) without colour, and as an OSC 8 hyperlink with it', () => {
    const md = 'See [the paper](https://example.com/paper).';
    expect(plain(md)).toEqual(['See the paper (https://example.com/paper).']);
    const [line] = colored(md);
    expect(line).toContain(`${ESC}]8;;https://example.com/paper\u0007`);
    expect(stripAnsi(line ?? '')).toBe('See the paper.');
  });

  it('renders blockquotes with a bar and rules across the width', () => {
    expect(plain('> Correct means every interleaving.\n\n---', 24)).toEqual([
      '│ Correct means every',
      '│ interleaving.',
      '',
      '─'.repeat(24),
    ]);
  });
});

describe('every lesson renders', async () => {
  const root = path.resolve(import.meta.dirname, '..');
  const course = parse(await readFile(path.join(root, 'content', 'course.yaml'), 'utf8')) as {
    lessons: string[];
  };
  const lessons = await loadLessons(root, course.lessons);

  for (const width of [60, 100]) {
    it.each(lessons.map((lesson) => [lesson.id, lesson] as const))(`%s at width ${width}`, (_id, lesson) => {
      const lines = plain(lesson.body, width);
      expect(lines.length).toBeGreaterThan(20);
      for (const line of lines) {
        expect(line).not.toContain(ESC);
        expect(Array.from(line).length, line).toBeLessThanOrEqual(width);
      }
      expect(colored(lesson.body, width).join('\n')).toContain(ESC);
    });
  }
});
