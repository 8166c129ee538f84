import { Command, CommanderError, Option } from 'commander';
import type { GlobalOptions } from './commands/context.js';
import { packageRoot } from './course/course.js';
import { didYouMean } from './course/suggest.js';
import { describeFileError, isFileSystemError, isUserError } from './errors.js';
import { command, inContext } from './report/invocation.js';
import { colourWanted } from './report/paint.js';
import { terminalWidth } from './report/plain.js';

type Run = () => Promise<number>;

/** Each command's module loads when it runs: `check` does not pay for Ink, React or a database client. */
const load = {
  check: () => import('./commands/check.js'),
  doctor: () => import('./commands/doctor.js'),
  hint: () => import('./commands/hint.js'),
  home: () => import('./commands/home.js'),
  init: () => import('./commands/init.js'),
  lab: () => import('./commands/lab.js'),
  learn: () => import('./commands/learn.js'),
  list: () => import('./commands/list.js'),
  play: () => import('./commands/play.js'),
  quiz: () => import('./commands/quiz.js'),
  reset: () => import('./commands/reset.js'),
  solution: () => import('./commands/solution.js'),
  tutor: () => import('./commands/tutor.js'),
  watch: () => import('./commands/watch.js'),
};

/** Ink only on a terminal both ways: keys in, frames out. */
const interactive = () => process.stdin.isTTY === true && process.stdout.isTTY === true;

/** argv -> a command. Every action hands back the exit code it wants. */
function program(setRun: (run: Run) => void): Command {
  const cli = new Command('racelings')
    .description(
      'A terminal tutor for concurrency: fix broken TypeScript, graded by an interleaving explorer.',
    )
    .usage('[options] [command]')
    .option('--workspace <dir>', 'the workspace to use (default: the one around the current folder)')
    .option('--no-color', 'plain text without colours (NO_COLOR works too)')
    .option('--debug', 'show the stack of unexpected errors')
    .option('--manual', 'do not watch files (some file systems never report changes): press c to check')
    .addHelpText(
      'after',
      '\nWithout a command: the tutor on a terminal, a summary of your progress otherwise.',
    )
    .allowExcessArguments(true)
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true);
  const globals = (command: Command): GlobalOptions => {
    const o = command.optsWithGlobals<{ workspace?: string; color: boolean; json?: boolean }>();
    return { workspace: o.workspace, color: colourWanted(o.color), json: o.json };
  };
  const manual = (command: Command) => command.optsWithGlobals<{ manual?: boolean }>().manual;
  const json = new Option('--json', 'print JSON only (a stable shape, see the README)');

  cli.action((_options, command: Command) => {
    const [name] = command.args;
    if (name !== undefined) {
      const known = command.commands.map((c) => c.name());
      const guess = didYouMean(
        name,
        known.map((id) => ({ id })),
      );
      throw new CommanderError(
        2,
        'racelings.unknownCommand',
        `unknown command '${name}'${guess ? ` — ${guess}` : ''}`,
      );
    }
    setRun(async () =>
      interactive()
        ? (await load.tutor()).tutorCommand({ ...globals(command), manual: manual(command) })
        : (await load.home()).homeText(globals(command)),
    );
  });
  cli
    .command('init')
    .argument('<dir>', 'a new or empty folder')
    .description('create a workspace: the exercises, a README, your progress')
    .action((dir: string) => setRun(async () => (await load.init()).initCommand(dir)));
  cli
    .command('check')
    .argument('[id]', 'the exercise (default: the current one)')
    .description('grade an exercise once: exit 0 passed, 1 failed, 2 usage or installation problem')
    .option('--all', 'grade every exercise')
    .option('--replay <token>', 'run exactly the schedule of an earlier verdict')
    .addOption(json)
    .action((id: string | undefined, options: { all?: boolean; replay?: string }, command: Command) =>
      setRun(async () => (await load.check()).checkCommand(id, { ...globals(command), ...options })),
    );
  cli
    .command('watch')
    .argument('[id]', 'the exercise (default: the current one)')
    .description('grade an exercise on every save: the exercise screen, or JSON lines with --json')
    .addOption(json)
    .action((id: string | undefined, _options, command: Command) => {
      const o = { ...globals(command), manual: manual(command) };
      setRun(async () => {
        if (o.json || !interactive()) return (await load.watch()).watchCommand(id, o);
        return (await load.tutor()).tutorCommand({ ...o, watch: { id } });
      });
    });
  cli
    .command('play')
    .argument('[id]', 'the exercise (default: the current one)')
    .description('be the scheduler: pick each step of the callers until the code breaks')
    .option(
      '--moves <moves>',
      'play these moves and print where they lead: caller numbers, "1 2 2f 1" (f: the step fails)',
    )
    .option('--workload <n>', "which of the check's workloads to play (default 1)")
    .option('--original', 'play the shipped broken file rather than your version')
    .addOption(json)
    .action(
      (
        id: string | undefined,
        options: { moves?: string; workload?: string; original?: boolean },
        command: Command,
      ) =>
        setRun(async () =>
          (await load.play()).playCommand(id, { ...globals(command), ...options, tty: interactive() }),
        ),
    );
  cli
    .command('list')
    .description('every exercise with its lesson, tier, file and status')
    .addOption(json)
    .action((_options, command: Command) =>
      setRun(async () => (await load.list()).listCommand(globals(command))),
    );
  cli
    .command('hint')
    .argument('[id]', 'the exercise (default: the current one)')
    .description('the next hint, each more specific than the last')
    .action((id: string | undefined, _options, command: Command) =>
      setRun(async () => (await load.hint()).hintCommand(id, globals(command))),
    );
  cli
    .command('solution')
    .argument('<id>', 'the exercise')
    .description('the reference fix (after a pass, or once you confirm)')
    .option('--yes', 'show it even though the exercise is not solved yet')
    .action((id: string, options: { yes?: boolean }, command: Command) =>
      setRun(async () => (await load.solution()).solutionCommand(id, { ...globals(command), ...options })),
    );
  cli
    .command('reset')
    .argument('<id>', 'the exercise')
    .description('restore the broken original, keeping your version in .racelings/backups/')
    .action((id: string, _options, command: Command) =>
      setRun(async () => (await load.reset()).resetCommand(id, globals(command))),
    );
  cli
    .command('learn')
    .argument('[lesson]', 'the lesson id (default: the list of lessons)')
    .description('read a lesson; the list of lessons without an id')
    .action((lesson: string | undefined, _options, command: Command) => {
      setRun(async () => {
        if (!interactive())
          return (await load.learn()).learnCommand({ root: packageRoot(), lesson, width: terminalWidth() });
        return (await load.tutor()).tutorCommand({
          ...globals(command),
          route:
            lesson === undefined
              ? { name: 'lessons', back: 'quit' }
              : { name: 'lesson', id: lesson, back: 'quit' },
        });
      });
    });
  cli
    .command('quiz')
    .description('review the cards that are due (spaced repetition)')
    .option('--topic <lesson>', 'only the cards of one lesson (or drills)')
    .option('--stats', 'how many cards are new, learning and due, per lesson')
    .addOption(json)
    .action((options: { topic?: string; stats?: boolean }, command: Command) =>
      setRun(async () =>
        (await load.quiz()).quizCommand({
          ...globals(command),
          topic: options.topic,
          stats: options.stats === true,
          tty: interactive(),
        }),
      ),
    );
  cli
    .command('lab')
    .argument('<name>', 'the lab: isolation or locks')
    .description('run a lab on a real server and show what it observed')
    .option('--verbose', 'show every statement or command the lab ran')
    .addOption(json)
    .action((name: string, options: { verbose?: boolean }, command: Command) =>
      setRun(async () =>
        (await load.lab()).labCommand({
          name,
          json: globals(command).json === true,
          verbose: options.verbose === true,
          color: globals(command).color,
        }),
      ),
    );
  cli
    .command('doctor')
    .description('what works here: Node, the grader, PostgreSQL, and Redis when an exercise needs it')
    .addOption(json)
    .action((_options, command: Command) =>
      setRun(async () => (await load.doctor()).doctorCommand(globals(command))),
    );
  // The root takes an unknown command's name as an argument (to say so, above); a command given
  // more than its arguments refuses them rather than ignoring them.
  for (const sub of cli.commands) sub.allowExcessArguments(false);
  return cli;
}

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  let run: Run | null = null;
  try {
    await program((r) => {
      run = r;
    }).parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      const message = error.message
        .replace(/^error: /, '')
        .replace(/\n\(Did you mean (.*)\?\)$/, ' — did you mean $1?');
      process.stderr.write(`racelings: ${message} — see '${command('--help')}'\n`);
      return 2;
    }
    throw error;
  }
  if (!run) return 0;
  try {
    return await (run as Run)();
  } catch (error) {
    if (isUserError(error)) {
      process.stderr.write(inContext(`racelings: ${error.message}${error.hint ? ` — ${error.hint}` : ''}\n`));
      return error.exitCode;
    }
    // A file racelings cannot use (a folder in its place, no permission, a full disk): say which and why.
    if (isFileSystemError(error) && error.path && !debug) {
      const { why, fix } = describeFileError(error);
      process.stderr.write(`racelings: cannot use ${error.path}: ${why} — ${fix}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`racelings: unexpected error: ${message}\n`);
    if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write('  run again with --debug for details, and please report it\n');
    return 2;
  }
}
