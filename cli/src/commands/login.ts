/** `hearth login` / `hearth logout`: keep a superuser token for a server in the user's config dir (0600). */
import { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { credentialsPath, normalizeUrl, removeLogin, saveLogin } from '../credentials.ts';
import { CliError, colors, emit, out } from '../output.ts';
import { api } from '../target.ts';

async function ask(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new CliError(`${question.replace(/:\s*$/, '')} is required: pass it as an option (or HEARTH_PASSWORD).`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

export function loginCommand(): Command {
  return new Command('login')
    .description("Sign in as a superuser and save the token in the user's config dir")
    .option('--url <url>', 'the server (env HEARTH_URL)', process.env.HEARTH_URL ?? 'http://127.0.0.1:8090')
    .option('--email <email>', 'superuser email')
    .option('--password <password>', 'superuser password (env HEARTH_PASSWORD; asked for when absent)')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExamples:\n  $ hearth login --url https://api.example.com --email admin@example.com\n  $ hearth collections list --url https://api.example.com   # uses the saved token')
    .action(async (o: { url: string; email?: string; password?: string; json?: boolean }) => {
      const url = normalizeUrl(o.url);
      const email = o.email ?? (await ask('Email: '));
      const password = o.password ?? process.env.HEARTH_PASSWORD ?? (await ask('Password: '));
      const res = await api<{ token: string }>({ url, token: '' }, 'POST', '/api/collections/_superusers/auth-with-password', { identity: email, password });
      const file = saveLogin({ url, token: res.token, email });
      emit(o.json, { url, email, file }, () => out(`${colors.green('✓')} Signed in to ${url} as ${email}; token saved in ${file}.`));
    });
}

export function logoutCommand(): Command {
  return new Command('logout')
    .description('Forget the saved token of a server (default: the last one signed in to)')
    .option('--url <url>', 'the server')
    .action((o: { url?: string }) => {
      out(removeLogin(o.url) ? `Token removed from ${credentialsPath()}.` : 'No saved token.');
    });
}
