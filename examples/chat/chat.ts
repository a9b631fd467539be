/**
 * A terminal chat room: signs in, joins the room, prints recent messages, then prints new ones
 * live while every line you type is posted. Ctrl-D or Ctrl-C quits.
 * Usage: node chat.ts --email ann@example.com --password '…' [--sign-up Ann] [--room general]
 */
import { createInterface, type Interface } from 'node:readline';
import { parseArgs } from 'node:util';
import { connect, signIn } from './src/hearth.ts';
import { followRoom, formatMessage, postMessage } from './src/messages.ts';
import { joinRoom } from './src/rooms.ts';

/** Messages shown on entering a room. */
const RECENT = 20;

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.HEARTH_URL ?? 'http://127.0.0.1:8090' },
    email: { type: 'string' },
    password: { type: 'string' },
    'sign-up': { type: 'string' },
    room: { type: 'string', default: 'general' },
  },
});

if (!values.email || !values.password) {
  console.error("Usage: node chat.ts --email EMAIL --password PASSWORD [--sign-up 'Display name'] [--room NAME] [--url URL]");
  process.exit(2);
}

const hearth = connect(values.url);
const fail = (err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  hearth.close();
  process.exit(1);
};

try {
  const me = await signIn(hearth, { email: values.email, password: values.password, signUpAs: values['sign-up'] });
  const room = await joinRoom(hearth, values.room);
  console.log(`#${room.name} — type a message and press Enter.`);
  let rl: Interface | undefined;
  /** Prints above the prompt without eating what is being typed. */
  const print = (line: string) => {
    if (!rl) return console.log(line);
    process.stdout.write(`\r\x1b[2K${line}\n`);
    rl.prompt(true);
  };
  const unsubscribe = await followRoom(hearth, room.id, (message) => print(formatMessage(message)), { history: RECENT });
  hearth.realtime.onStatus((status) => status === 'reconnecting' && print('(reconnecting…)'));
  // Read input only now: lines typed during sign-in are buffered, not lost.
  rl = createInterface({ input: process.stdin, output: process.stdout, prompt: `${me.name || me.email}> ` });
  rl.on('line', (line) => {
    if (process.stdout.isTTY) process.stdout.write('\x1b[1A\x1b[2K'); // the line comes back from the room
    const text = line.trim();
    if (text) postMessage(hearth, room.id, text).catch((err: unknown) => print(`! ${err instanceof Error ? err.message : String(err)}`));
    rl?.prompt();
  });
  rl.on('close', () => {
    void unsubscribe().finally(() => hearth.close());
  });
  rl.prompt();
} catch (err) {
  fail(err);
}
