import { Command, CommanderError, Option } from 'commander';
import { checkCommand } from './commands/check.js';
import type { GlobalOptions } from './commands/context.js';
import { doctorCommand } from './commands/doctor.js';
import { hintCommand } from './commands/hint.js';
import { homeText } from './commands/home.js';
import { initCommand } from './commands/init.js';
import { listCommand } from './commands/list.js';
import { resetCommand } from './commands/reset.js';
import { solutionCommand } from './commands/solution.js';
import { isUserError } from './errors.js';

type Run = () => Promise<number>;

/** argv -> a command. Every action hands back the exit code it wants. */
function program(setRun: (run: Run) => void): Command {
  const cli = new Command('racelings')
    .description(
      'A terminal tutor for concurrency: fix broken TypeScript, graded by an interleaving explorer.',
    )
    .option('--workspace <dir>', 'the workspace to use (default: the one around the current folder)')
    .option('--no-color', 'plain text without colours (NO_COLOR works too)')
    .option('--debug', 'show the stack of unexpected errors')
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true);
  const globals = (command: Command): GlobalOptions => {
    const o = command.optsWithGlobals<{ workspace?: string; color: boolean; json?: boolean }>();
    return {
      workspace: o.workspace,
      color: o.color && !process.env.NO_COLOR && process.stdout.isTTY === true,
      json: o.json,
    };
  };
  const json = new Option('--json', 'print JSON only (a stable shape, see the README)');

  cli.argument('[command]').action((name: string | undefined, _options, command: Command) => {
    if (name !== undefined) {
      const known = command.commands.map((c) => c.name());
      throw new CommanderError(
        2,
        'racelings.unknownCommand',
        `unknown command '${name}' (one of: ${known.join(', ')})`,
      );
    }
    setRun(() => homeText(globals(command)));
  });
  cli
    .command('init')
    .argument('<dir>', 'a new or empty folder')
    .description('create a workspace: the exercises, a README, your progress')
    .action((dir: string) => setRun(() => initCommand(dir)));
  cli
    .command('check')
    .argument('[id]', 'the exercise (default: the current one)')
    .description('grade an exercise once: exit 0 passed, 1 failed, 2 usage or installation problem')
    .option('--all', 'grade every exercise')
    .option('--replay <token>', 'run exactly the schedule of an earlier verdict')
    .addOption(json)
    .action((id: string | undefined, options: { all?: boolean; replay?: string }, command: Command) =>
      setRun(() => checkCommand(id, { ...globals(command), ...options })),
    );
  cli
    .command('list')
    .description('every exercise with its lesson, tier, file and status')
    .addOption(json)
    .action((_options, command: Command) => setRun(() => listCommand(globals(command))));
  cli
    .command('hint')
    .argument('<id>', 'the exercise')
    .description('the next hint, each more specific than the last')
    .action((id: string, _options, command: Command) => setRun(() => hintCommand(id, globals(command))));
  cli
    .command('solution')
    .argument('<id>', 'the exercise')
    .description('the reference fix (after a pass, or once you confirm)')
    .option('--yes', 'show it even though the exercise is not solved yet')
    .action((id: string, options: { yes?: boolean }, command: Command) =>
      setRun(() => solutionCommand(id, { ...globals(command), ...options })),
    );
  cli
    .command('reset')
    .argument('<id>', 'the exercise')
    .description('restore the broken original, keeping your version in .racelings/backups/')
    .action((id: string, _options, command: Command) => setRun(() => resetCommand(id, globals(command))));
  cli
    .command('doctor')
    .description('what works here: Node, the grader, PostgreSQL, Redis')
    .addOption(json)
    .action((_options, command: Command) => setRun(() => doctorCommand(globals(command))));
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
      process.stderr.write(`racelings: ${error.message.replace(/^error: /, '')} — see 'racelings --help'\n`);
      return 2;
    }
    throw error;
  }
  if (!run) return 0;
  try {
    return await (run as Run)();
  } catch (error) {
    if (isUserError(error)) {
      process.stderr.write(`racelings: ${error.message}${error.hint ? ` — ${error.hint}` : ''}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`racelings: unexpected error: ${message}\n`);
    if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write('  run again with --debug for details, and please report it\n');
    return 2;
  }
}
