import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import type { ExerciseStatus } from '../workspace/state.js';
import { useKeys } from './keys.js';

export interface ExerciseRow {
  id: string;
  title: string;
  lesson: string;
  tier: string;
  status: ExerciseStatus;
  /** A service this machine lacks to grade it ('Redis'). */
  needs?: string | null;
}

export interface ExerciseListProps {
  exercises: ExerciseRow[];
  rows: number;
  interactive: boolean;
  onOpen: (id: string) => void;
  /** Restore the pristine file; resolves with a line to show. */
  onReset: (id: string) => Promise<string>;
  onBack: () => void;
}

type Filter = 'all' | 'pending' | 'done';

/** Heading, filter line, message line, key line and one spare row. */
const CHROME_ROWS = 5;
const MARK: Record<ExerciseStatus, string> = { done: '✓', current: '▶', pending: ' ' };

function matches(row: ExerciseRow, filter: Filter, search: string): boolean {
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

/** Every exercise: filter done / pending / all, `/` search, Enter jumps, `r` resets after a y/N. */
export function ExerciseList({ exercises, rows, interactive, onOpen, onReset, onBack }: ExerciseListProps) {
  const [ui, setUi] = useState<ListState>(() => ({
    filter: 'all',
    search: '',
    searching: false,
    selected: Math.max(
      0,
      exercises.findIndex((e) => e.status === 'current'),
    ),
    confirming: null,
  }));
  const [message, setMessage] = useState<string | null>(null);
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
          setMessage(`resetting ${id}…`);
          onReset(id).then(setMessage, (error: unknown) =>
            setMessage(`could not reset ${id}: ${error instanceof Error ? error.message : String(error)}`),
          );
        } else setMessage(`kept your ${id}`);
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
      else if (key.return && chosen) onOpen(chosen.id);
      else if (input === '/') update({ searching: true, search: '' });
      else if (input === 'a' || input === 'p' || input === 'd') {
        update({ filter: input === 'a' ? 'all' : input === 'p' ? 'pending' : 'done', selected: 0 });
      } else if (input === 'r' && chosen) {
        update({ confirming: chosen.id });
        setMessage(null);
      } else if (input === 'q' || key.escape) onBack();
    },
    { isActive: interactive },
  );

  const idWidth = Math.max(2, ...exercises.map((e) => e.id.length));
  const filters = (['all', 'pending', 'done'] as const).map((f) => (f === filter ? `[${f}]` : f)).join(' ');
  const done = exercises.filter((e) => e.status === 'done').length;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>Exercises</Text>
        <Text dimColor>
          {' '}
          · {done} of {exercises.length} done
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
            <Text color={row.status === 'done' ? 'green' : row.status === 'current' ? 'yellow' : undefined}>
              {MARK[row.status]}
            </Text>{' '}
            {row.id.padEnd(idWidth)} {row.title}
            <Text dimColor={!active}>
              {' '}
              · {row.lesson} · {row.tier}
            </Text>
            {row.needs ? <Text color="yellow"> · needs {row.needs}</Text> : null}
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
      <Text dimColor wrap="truncate-end">
        {searching
          ? 'type to search · Enter/Esc done'
          : '↑↓ choose · Enter open · a all · p pending · d done · / search · r reset · q back'}
      </Text>
    </Box>
  );
}
