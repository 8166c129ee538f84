import { Box, Text, useStdin } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { type Known, type Move, movesText, type PlayPosition } from '../grader/position.js';
import { follows, layoutPlay } from '../report/play.js';
import { MARK, markLine } from '../report/timeline.js';
import type { LayoutLine } from '../report/verdict.js';
import type { PlayPort } from '../session/play.js';
import { type KeyHelp, KeyLine, keyLineRows } from './KeyLine.js';
import { useKeys } from './keys.js';
import { Line } from './Line.js';
import { mountUntil } from './lifecycle.js';
import { useTerminalSize } from './terminal-size.js';

export interface PlayScreenProps {
  port: PlayPort;
  /** Index into the check's examples to start with. */
  workload: number;
  columns: number;
  rows: number;
  interactive: boolean;
  /** The learner is done playing (q). */
  onQuit: () => void;
}

const MAX_WIDTH = 220;

/** What the learner sees of the explorer's answers, per workload. */
type KnownBy = Record<number, Known>;

/**
 * Play the scheduler: the learner picks which caller takes its next step until an invariant
 * breaks (or every caller settles). Every position is computed afresh from the moves, so undo and
 * restart are only shorter move lists; nothing is written anywhere.
 */
export function PlayScreen({ port, columns, rows, interactive, onQuit, ...props }: PlayScreenProps) {
  const width = Math.max(20, Math.min(MAX_WIDTH, columns - 1));
  const [workload, setWorkload] = useState(props.workload);
  const [moves, setMoves] = useState<Move[]>([]);
  const [position, setPosition] = useState<PlayPosition | null>(null);
  /** The position on screen is the one of `moves` (no answer is pending). */
  const [current, setCurrent] = useState(false);
  const [known, setKnown] = useState<KnownBy>({});
  const [asked, setAsked] = useState<Set<number>>(new Set());
  const [hint, setHint] = useState<{ lead: Known | null; reveal: number; from: string } | null>(null);
  const [proof, setProof] = useState(false);
  const [failNext, setFailNext] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setCurrent(false);
    port.position(workload, moves).then((next) => {
      if (!live) return;
      setPosition(next);
      setCurrent(true);
      if (next.refused) {
        setMessage(next.refused.message);
        setMoves(next.moves);
      }
    });
    return () => {
      live = false;
    };
  }, [port, workload, moves]);

  const knownNow = known[workload] ?? null;
  const broke = position?.verdict != null;
  // The explorer is asked once per workload, when its answer is first wanted.
  const wanted = proof || broke;
  useEffect(() => {
    if (!wanted || asked.has(workload)) return;
    setAsked((before) => new Set(before).add(workload));
    port.explore(workload).then((answer) => setKnown((before) => ({ ...before, [workload]: answer })));
  }, [port, workload, wanted, asked]);

  const layout = useMemo(
    () =>
      position
        ? layoutPlay(position, {
            width,
            goal: port.exercise.goal,
            known: knownNow,
            hint: current ? hint : null,
            proof,
          })
        : null,
    [position, width, port.exercise.goal, knownNow, hint, proof, current],
  );

  const count = position?.workload.count ?? 0;
  const callers = position?.callers ?? [];
  const canFail = callers.some((c) => c.canFail);
  const move = (caller: number) => {
    const fail = failNext;
    setFailNext(false);
    if (current && position) {
      const who = callers.find((c) => c.caller === caller);
      const movable = callers.filter((c) => c.canMove).map((c) => c.caller);
      const can = movable.length > 0 ? `callers that can move: ${movable.join(', ')}` : 'no caller can move';
      if (position.finished) {
        setMessage('the run is over: u undoes the last move, r starts again');
        return;
      }
      if (!who) {
        setMessage(`there is no caller ${caller} — ${can}`);
        return;
      }
      if (!who.canMove) {
        setMessage(`${who.label.split(' ')[0]} cannot move: ${who.note ?? 'it has nothing to run'} — ${can}`);
        return;
      }
      if (fail && !who.canFail) {
        setMessage(`${who.label.split(' ')[0]}'s next step cannot be made to fail here`);
        return;
      }
    }
    setMessage(null);
    setMoves((before) => [...before, fail ? { caller, fail: true } : { caller }]);
  };

  // One more move of the hinted schedule while the learner follows it; a fresh search from here otherwise.
  const askHint = () => {
    if (hint?.lead?.shortest && follows(moves, hint.lead.shortest)) {
      setHint({ ...hint, reveal: hint.reveal + 1 });
      return;
    }
    const from = `${workload}:${movesText(moves)}`;
    if (hint && hint.lead === null && hint.from === from) return;
    setHint({ lead: null, reveal: 1, from });
    port
      .lead(workload, moves)
      .then((lead) => setHint((before) => (before?.from === from ? { ...before, lead } : before)));
  };

  useKeys(
    (input, key) => {
      if (input === 'q' || key.escape) onQuit();
      else if (/^[0-9]$/.test(input)) move(Number(input));
      else if (input === 'f') {
        if (!canFail && current) setMessage('no next step can be made to fail here');
        else {
          setFailNext((armed) => !armed);
          setMessage(null);
        }
      } else if (input === 'u') {
        setMessage(moves.length === 0 ? 'nothing to undo' : null);
        setFailNext(false);
        setMoves((before) => before.slice(0, -1));
      } else if (input === 'r') {
        setMessage(null);
        setFailNext(false);
        setMoves([]);
      } else if (input === '?') askHint();
      else if (input === 'p') setProof(true);
      else if (input === 'w' && count > 1) {
        setWorkload((index) => (index + 1) % count);
        setMoves([]);
        setHint(null);
        setProof(false);
        setFailNext(false);
        setMessage(null);
      }
    },
    { isActive: interactive },
  );

  const keys: KeyHelp[] = [
    [callers.length > 1 ? `1–${callers.length}` : '1', "run a caller's next step"],
    ...(canFail ? [['f', failNext ? 'the next step fails (f: no)' : 'fail the next step'] as KeyHelp] : []),
    ['u', 'undo'],
    ['r', 'restart'],
    ['?', 'hint'],
    ['p', 'prove it'],
    ...(count > 1 ? [['w', `workload ${workload + 1}/${count}`] as KeyHelp] : []),
    ['q', 'back'],
  ];
  const note = layout?.timeline && layout.timeline.marked >= 0 ? `${MARK} the step that broke it` : undefined;

  if (!layout || !position) {
    return (
      <Box flexDirection="column">
        <Title port={port} />
        <Text dimColor>running {port.exercise.id} under the explorer…</Text>
      </Box>
    );
  }

  const blank: LayoutLine = [{ text: '', tone: 'plain' }];
  const above: LayoutLine[] = [...layout.head, blank, ...layout.callers];
  if (layout.state.length > 0) above.push(blank, ...layout.state);
  above.push(blank);
  if (layout.verdict) above.push(layout.verdict.status, ...layout.verdict.head);
  const below: LayoutLine[] = [...(layout.verdict?.tail ?? []), ...layout.tail];
  const messages = [message, failNext ? 'f: the next caller you pick fails its step' : null].filter(
    (m): m is string => m !== null,
  );
  const messageRows = messages.reduce(
    (sum, m) => sum + Math.max(1, Math.ceil(Array.from(m).length / width)),
    0,
  );
  const timelineRows = layout.timeline?.rows.flatMap((row) =>
    row.lines.map(
      (text, i): LayoutLine => [
        row.marked ? { text: i === 0 ? markLine(text) : text, tone: 'mark' } : { text, tone: 'plain' },
      ],
    ),
  ) ?? [[{ text: 'no step yet: press the number of the caller whose step runs first', tone: 'dim' }]];
  // One row for the title, one for the timeline's header, one spare: Ink redraws the whole screen
  // once a frame reaches the terminal's height.
  const room = Math.max(
    1,
    rows - 3 - above.length - below.length - messageRows - keyLineRows(keys, width, note),
  );
  const hidden = Math.max(0, timelineRows.length - room);
  const shown = hidden > 0 ? timelineRows.slice(hidden + 1) : timelineRows;

  return (
    <Box flexDirection="column">
      <Title port={port} />
      {above.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: laid-out lines are positional
        <Line key={`a${i}`} line={line} dim={!current} />
      ))}
      {layout.timeline && <Line line={[{ text: layout.timeline.header, tone: 'bold' }]} dim={!current} />}
      {hidden > 0 && <Text dimColor>{`  ⋮ ${hidden + 1} earlier rows`}</Text>}
      {shown.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of the timeline are positional
        <Line key={`t${i}`} line={line} dim={!current} />
      ))}
      {below.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: laid-out lines are positional
        <Line key={`b${i}`} line={line} />
      ))}
      {messages.map((m) => (
        <Box key={m} width={width}>
          <Text color="yellow">{m}</Text>
        </Box>
      ))}
      <KeyLine keys={keys} note={note} />
    </Box>
  );
}

function Title({ port }: { port: PlayPort }) {
  return (
    <Text wrap="truncate-end">
      <Text bold>play {port.exercise.id}</Text> — {port.exercise.title}
      <Text dimColor> · you are the scheduler</Text>
    </Text>
  );
}

/** The play screen at the terminal's size, keys read when stdin is a terminal. */
export function PlayApp(props: Omit<PlayScreenProps, 'columns' | 'rows' | 'interactive'>) {
  const { isRawModeSupported } = useStdin();
  const { columns, rows } = useTerminalSize();
  return <PlayScreen {...props} columns={columns} rows={rows} interactive={isRawModeSupported === true} />;
}

/** Show the play screen until the learner leaves it (q) or presses Ctrl-C. */
export async function mountPlay(port: PlayPort, workload: number): Promise<void> {
  let quit = () => {};
  const left = new Promise<void>((resolve) => {
    quit = resolve;
  });
  await mountUntil(<PlayApp port={port} workload={workload} onQuit={() => quit()} />, left);
}
