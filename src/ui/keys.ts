import { type Key, useInput } from 'ink';

/** Printable ASCII and Enter: what a fast typist or a multiplexer may deliver several of in one read. */
const PLAIN_RUN = /^[\x20-\x7e\r]{2,}$/;

/**
 * `useInput`, one key at a time. Ink hands a chunk of plain characters over as one input ("jj\r"),
 * so a screen that compares `input === 'j'` would ignore keys typed quickly or sent together.
 */
export function useKeys(
  handler: (input: string, key: Key) => void,
  options: { isActive?: boolean } = {},
): void {
  useInput((input, key) => {
    if (key.ctrl || key.meta || !PLAIN_RUN.test(input)) {
      handler(input, key);
      return;
    }
    for (const char of input) {
      const enter = char === '\r';
      handler(enter ? '' : char, { ...key, return: enter, shift: char !== char.toLowerCase() });
    }
  }, options);
}
