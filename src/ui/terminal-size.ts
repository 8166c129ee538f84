import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

type Size = { columns: number; rows: number };

/** A stream without a size (a pipe, a test stream) counts as 100 × 40. */
const sizeOf = (stdout: NodeJS.WriteStream): Size => ({
  columns: stdout.columns || 100,
  rows: stdout.rows || 40,
});

/** The terminal's size, updated on resize. */
export function useTerminalSize(): Size {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = () => setSize(sizeOf(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
