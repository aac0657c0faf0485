/**
 * The `spoor` command. Thin: parse flags, call the same services the API uses, print the result
 * (one JSON object on stdout with `--json`). Metadata commands open only the metadata store, so
 * they work while a server runs on the same data directory.
 */
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { clientCreate, domainCreate, userCreate } from './metadata-commands.ts';
import { reportPreview, reportSendDue } from './report-commands.ts';
import { migrate, serve } from './server-commands.ts';

/** Output for one command: a JSON object for `--json`, and a line for people. */
export interface CommandResult {
  json: object;
  text: string;
}

interface JsonFlag {
  json?: boolean;
}

/** Run the CLI with `argv` (as `process.argv`); sets `process.exitCode` on failure. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('spoor')
    .description('Spoor: self-hosted, cookie-free web analytics (Pirsch API compatible)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('serve')
    .description('run the server (API, snippet, dashboard)')
    .option('--port <port>', 'port to listen on (SPOOR_PORT)')
    .option('--host <host>', 'address to bind (SPOOR_HOST)')
    .option('--data-dir <dir>', 'data directory for embedded stores (SPOOR_DATA_DIR)')
    .option('--base-url <url>', 'public URL of this installation (SPOOR_BASE_URL)')
    .action(async (flags: { port?: string; host?: string; dataDir?: string; baseUrl?: string }) => {
      await serve(loadConfig(process.env, flags));
    });

  const withJson = (command: Command) =>
    command
      .option('--data-dir <dir>', 'data directory (SPOOR_DATA_DIR)')
      .option('--json', 'print one JSON object on stdout');

  const run =
    <T extends object>(fn: (config: Config, flags: T) => Promise<CommandResult>) =>
    async (flags: T & JsonFlag & { dataDir?: string }) => {
      let config: Config | undefined;
      try {
        config = loadConfig(process.env, { dataDir: flags.dataDir });
        const result = await fn(config, flags);
        process.stdout.write(flags.json ? JSON.stringify(result.json) + '\n' : result.text + '\n');
      } catch (err) {
        reportFailure(err, flags.json === true);
      }
    };

  withJson(
    program.command('migrate').description('apply pending schema migrations to both stores'),
  ).action(run(migrate));

  const user = program.command('user').description('manage dashboard users');
  withJson(user.command('create').description('create a user account'))
    .requiredOption('--email <email>', 'e-mail address (the sign-in name)')
    .requiredOption('--password <password>', 'password, at least 8 characters')
    .option('--name <name>', 'full name')
    .action(run(userCreate));

  const domain = program.command('domain').description('manage domains (sites)');
  withJson(domain.command('create').description('create a domain owned by a user'))
    .requiredOption('--email <email>', "the owner's e-mail address")
    .requiredOption('--hostname <hostname>', 'host name of the site, e.g. example.com')
    .option('--subdomain <subdomain>', 'dashboard subdomain (derived from the host name if absent)')
    .option('--timezone <zone>', 'IANA time zone, e.g. Europe/Berlin (default UTC)')
    .action(run(domainCreate));

  const client = program.command('client').description('manage API clients');
  withJson(client.command('create').description('create an oauth client or an access key'))
    .requiredOption('--email <email>', "the user's e-mail address")
    .option('--domain-id <id>', 'domain of a domain client (omit for a user client)')
    .option('--access-key', 'create a write-only access key (pa_…) instead of an oauth client')
    .addOption(
      new Option(
        '--scopes <list>',
        'comma-separated scopes: hit, event, session, statistics, domains (domains:r for read-only); default all',
      ),
    )
    .option('--description <text>', 'free text shown in the client list')
    .action(run(clientCreate));

  const report = program
    .command('report')
    .description('e-mail reports (these open the event store: stop a server on the same data dir)');
  withJson(report.command('preview').description("write the HTML of a domain's next report"))
    .requiredOption('--domain-id <id>', 'the domain')
    .option('--interval <n>', 'report interval 1–3 (weeks) or 4 (monthly); default: the next due')
    .option('--out <file>', 'where to write the HTML (default spoor-report-<domain id>.html)')
    .action(run(reportPreview));
  withJson(
    report
      .command('send-due')
      .description('send due e-mail reports and goal notifications once (for cron)'),
  ).action(run((config) => reportSendDue(config)));

  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message (or the help text).
      process.exitCode = err.exitCode;
      return;
    }
    reportFailure(err, false);
  }
}

/** Print an error as one line (or one JSON object) and set a non-zero exit code. */
function reportFailure(err: unknown, json: boolean): void {
  const message = err instanceof Error ? err.message : String(err);
  const validation = err instanceof AppError ? err.validation : {};
  if (json) {
    process.stdout.write(JSON.stringify({ error: message, validation }) + '\n');
  } else {
    const details = Object.entries(validation).map(([field, problem]) => `${field}: ${problem}`);
    process.stderr.write(`spoor: ${[message, ...details].join('; ')}\n`);
  }
  process.exitCode = err instanceof ConfigError ? 2 : 1;
}
