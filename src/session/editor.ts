import { spawn } from 'node:child_process';
import path from 'node:path';

/** Editors that open a window of their own and leave the terminal alone. */
const WINDOWED = new Set([
  'code',
  'code-insiders',
  'codium',
  'cursor',
  'windsurf',
  'zed',
  'subl',
  'sublime_text',
  'gedit',
  'gnome-text-editor',
  'kate',
  'mate',
  'atom',
  'idea',
  'webstorm',
  'gvim',
  'mvim',
  'xed',
  'open',
  'xdg-open',
]);

export interface EditorCommand {
  command: string;
  args: string[];
  /** A window of its own: spawn it and carry on; otherwise it needs the terminal until it exits. */
  windowed: boolean;
}

/** `$VISUAL`, else `$EDITOR`, else vi; its first word is the program, the rest its arguments. */
export function editorFor(file: string, env: NodeJS.ProcessEnv = process.env): EditorCommand {
  const words = (env.VISUAL || env.EDITOR || 'vi').trim().split(/\s+/);
  const command = words[0]!;
  return {
    command,
    args: [...words.slice(1), file],
    windowed: WINDOWED.has(path.basename(command).replace(/\.exe$/i, '')),
  };
}

/** Start a windowed editor and forget it; an error (not installed) comes back as a message. */
export function spawnWindowed(editor: EditorCommand): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(editor.command, editor.args, { detached: true, stdio: 'ignore' });
    child.once('error', (error) => resolve(`could not start ${editor.command}: ${error.message}`));
    child.once('spawn', () => {
      child.unref();
      resolve(null);
    });
  });
}

/** Run a terminal editor with the terminal handed over; resolves when it exits. */
export function runInTerminal(editor: EditorCommand): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(editor.command, editor.args, { stdio: 'inherit' });
    child.once('error', (error) =>
      resolve(`could not start ${editor.command}: ${error.message} (set $VISUAL or $EDITOR)`),
    );
    child.once('exit', () => resolve(null));
  });
}
