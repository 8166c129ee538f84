import { describe, expect, it } from 'vitest';
import { editorFor } from '../src/session/editor.js';

describe('editorFor', () => {
  it('prefers $VISUAL over $EDITOR and falls back to vi', () => {
    expect(editorFor('/f.ts', { VISUAL: 'nvim', EDITOR: 'nano' }).command).toBe('nvim');
    expect(editorFor('/f.ts', { EDITOR: 'nano' }).command).toBe('nano');
    expect(editorFor('/f.ts', {})).toEqual({ command: 'vi', args: ['/f.ts'], windowed: false });
  });

  it('keeps the editor’s own arguments before the file', () => {
    expect(editorFor('/f.ts', { EDITOR: 'code --wait' })).toEqual({
      command: 'code',
      args: ['--wait', '/f.ts'],
      windowed: true,
    });
  });

  it('tells windowed editors from terminal ones by the program name', () => {
    expect(editorFor('/f.ts', { EDITOR: '/usr/local/bin/subl' }).windowed).toBe(true);
    expect(editorFor('/f.ts', { EDITOR: 'emacs -nw' }).windowed).toBe(false);
    expect(editorFor('/f.ts', { EDITOR: 'vim' }).windowed).toBe(false);
  });
});
