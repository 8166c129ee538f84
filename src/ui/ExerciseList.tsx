import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import type { SessionEvent } from '../session/events.js';
import type { ExerciseView } from '../session/state.js';
import { COLOR, MARK } from './Home.js';
import { KeyLine } from './KeyLine.js';
import { useKeys } from './keys.js';

export interface ExerciseListProps {
  /** In teaching order, grouped by lesson as on home. */
  exercises: ExerciseView[];
  /** The exercise the cursor starts on (the one just left, else the current one). */
  selected?: string;
  notice: string | null;
  rows: number;
  interactive: boolean;
  send: (event: SessionEvent) => void;
}

type Filter = 'all' | 'pending' | 'done';

/** Heading, filter line, message line, key line and one spare row. */
const CHROME_ROWS = 5;

function matches(row: ExerciseView, filter: Filter, search: string): boolean {
  if (filter === 'done' && row.status !== 'done') return false;
  if (filter === 'pending' && row.status === 'done') return false;
  const needle = search.toLowerCase();
  return needle === '' || `${row.id} ${row.title} ${row.lesson}`.toLowerCase().includes(needle);
}

interface ListState {
  filter: Filter;
  search: string;
  searching: boolean;
  selected: number;
  /** The exercise a reset waits for y/N on. */
  confirming: string | null;
}

/** Every exercise: filter done / pending / all, `/` search, Enter opens, `o` resets after a y/N. */
export function ExerciseList({ exercises, selected, notice, rows, interactive, send }: ExerciseListProps) {
  const [ui, setUi] = useState<ListState>(() => ({
    filter: 'all',
    search: '',
    searching: false,
    selected: Math.max(
      0,
      exercises.findIndex((e) => (selected ? e.id === selected : e.status === 'current')),
    ),
    confirming: null,
  }));
  const [kept, setKept] = useState<string | null>(null);
  // Several keys can arrive in one read, all handled before the next render: each key sees the
  // state the previous one left here, not the state of the last render.
  const live = useRef(ui);
  live.current = ui;
  const update = (change: Partial<ListState>) => {
    live.current = { ...live.current, ...change };
    setUi(live.current);
  };
  const pick = (state: ListState) => {
    const shown = exercises.filter((row) => matches(row, state.filter, state.search));
    const index = Math.min(state.selected, Math.max(0, shown.length - 1));
    return { shown, index, chosen: shown[index] };
  };
  const { filter, search, searching, confirming } = ui;
  const { shown, index } = pick(ui);
  const view = Math.max(1, rows - CHROME_ROWS);
  const top = Math.min(Math.max(0, index - view + 1), Math.max(0, shown.length - view));

  useKeys(
    (input, key) => {
      const state = live.current;
      const { shown, index, chosen } = pick(state);
      if (state.confirming !== null) {
        const id = state.confirming;
        update({ confirming: null });
        if (input === 'y' || input === 'Y') {
          setKept(null);
          send({ type: 'reset', id });
        } else setKept(`kept your ${id}`);
        return;
      }
      if (state.searching) {
        if (key.return || key.escape) update({ searching: false, selected: 0 });
        else if (key.backspace || key.delete) update({ search: state.search.slice(0, -1), selected: 0 });
        else if (input && !key.ctrl && !key.meta) update({ search: state.search + input, selected: 0 });
        return;
      }
      if (key.downArrow || input === 'j') update({ selected: Math.min(shown.length - 1, index + 1) });
      else if (key.upArrow || input === 'k') update({ selected: Math.max(0, index - 1) });
      else if (input === 'g' || key.home) update({ selected: 0 });
      else if (input === 'G' || key.end) update({ selected: Math.max(0, shown.length - 1) });
      else if (key.return && chosen) {
        send({
          type: 'go',
          route: { name: 'exercise', id: chosen.id, back: { name: 'list', selected: chosen.id } },
        });
      } else if (input === '/') update({ searching: true, search: '' });
      else if (input === 'a' || input === 'p' || input === 'd') {
        update({ filter: input === 'a' ? 'all' : input === 'p' ? 'pending' : 'done', selected: 0 });
      } else if (input === 'o' && chosen) {
        update({ confirming: chosen.id });
        setKept(null);
      } else if (input === 'q' || key.escape) send({ type: 'back' });
    },
    { isActive: interactive },
  );

  const idWidth = Math.max(2, ...exercises.map((e) => e.id.length));
  const filters = (['all', 'pending', 'done'] as const).map((f) => (f === filter ? `[${f}]` : f)).join(' ');
  const done = exercises.filter((e) => e.status === 'done').length;
  const message = kept ?? notice;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>Exercises</Text>
        <Text dimColor>
          {' '}
          · {done} of {exercises.length} done · in teaching order
        </Text>
      </Text>
      <Text wrap="truncate-end">
        <Text dimColor>show </Text>
        {filters}
        {(searching || search !== '') && (
          <Text color="cyan">
            {'  '}/{search}
            {searching ? '▏' : ''}
          </Text>
        )}
      </Text>
      {shown.length === 0 && <Text dimColor>no exercise matches</Text>}
      {shown.slice(top, top + view).map((row, i) => {
        const active = top + i === index;
        return (
          <Text key={row.id} wrap="truncate-end" inverse={active}>
            {active ? '› ' : '  '}
            <Text color={COLOR[row.status]}>{MARK[row.status]}</Text> {row.id.padEnd(idWidth)} {row.title}
            <Text dimColor={!active}>
              {' '}
              · {row.lesson} · {row.tier}
            </Text>
          </Text>
        );
      })}
      {confirming !== null ? (
        <Text color="yellow">
          Reset {confirming} to the broken original? Your version is kept as a backup. [y/N]
        </Text>
      ) : (
        <Text dimColor wrap="truncate-end">
          {message ?? ' '}
        </Text>
      )}
      {searching ? (
        <KeyLine
          keys={[
            ['type', 'to search'],
            ['Enter/Esc', 'done'],
          ]}
        />
      ) : (
        <KeyLine
          keys={[
            ['↑↓', 'choose'],
            ['Enter', 'open'],
            ['a', 'all'],
            ['p', 'pending'],
            ['d', 'done'],
            ['/', 'search'],
            ['o', 'reset to the original'],
            ['q', 'back'],
          ]}
        />
      )}
    </Box>
  );
}
