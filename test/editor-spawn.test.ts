import { describe, expect, it } from 'vitest';
import { runInTerminal, spawnWindowed } from '../src/session/editor.js';

describe('starting an editor', () => {
  it('a terminal editor that is not installed is a message that says what to set', async () => {
    expect(
      await runInTerminal({ command: 'racelings-no-such-editor', args: ['f.ts'], windowed: false }),
    ).toBe(
      'could not start racelings-no-such-editor: spawn racelings-no-such-editor ENOENT (set $VISUAL or $EDITOR)',
    );
  });

  it('a terminal editor that exits, even with an error code, gives the terminal back without a message', async () => {
    expect(await runInTerminal({ command: 'false', args: [], windowed: false })).toBeNull();
  });

  it('a windowed editor that is not installed is a message; one that starts is left running', async () => {
    expect(await spawnWindowed({ command: 'racelings-no-such-editor', args: [], windowed: true })).toMatch(
      /^could not start racelings-no-such-editor: .*ENOENT/,
    );
    expect(await spawnWindowed({ command: 'true', args: [], windowed: true })).toBeNull();
  });
});
