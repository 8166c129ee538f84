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

// execa loads when an editor starts, not with every session (a cold `racelings check` has one).

/**
 * Start a windowed editor and forget it (detached, so that it outlives the tutor); an error (not
 * installed) comes back as a message.
 */
export async function spawnWindowed(editor: EditorCommand): Promise<string | null> {
  const { execa } = await import('../processes/execa.js');
  const child = execa(editor.command, editor.args, {
    detached: true,
    cleanup: false,
    stdio: 'ignore',
    reject: false,
  });
  return new Promise((resolve) => {
    child.once('error', (error) => resolve(`could not start ${editor.command}: ${error.message}`));
    child.once('spawn', () => {
      child.unref();
      resolve(null);
    });
  });
}

/** Run a terminal editor with the terminal handed over; resolves when it exits. */
export async function runInTerminal(editor: EditorCommand): Promise<string | null> {
  // Ink let go of stdin (raw mode off, no listener) but Node may still be reading the terminal:
  // two readers of one tty split the keys between them, and the editor loses some. Stop reading;
  // the next Ink mount starts it again.
  process.stdin.pause();
  const { execa } = await import('../processes/execa.js');
  const result = await execa(editor.command, editor.args, { stdio: 'inherit', reject: false });
  if (result.failed && result.exitCode === undefined) {
    return `could not start ${editor.command}: ${result.originalMessage} (set $VISUAL or $EDITOR)`;
  }
  return null;
}
