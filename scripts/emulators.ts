// Local emulator harness: Firestore (Google's jar on Java 17, with firestore.rules), Storage (firebase-tools'
// app without its Java rules runtime), the provider stand-in, and firebase-tools' functions, auth and tasks
// emulators, on the fixed ports of scripts/harness/env.ts. See scripts/harness/ and OFFLINE.md.
//
//   tsx scripts/emulators.ts [--only firestore,storage,standin,functions] [-- <command...>]
//
// With a command: runs it with the emulator env set, tears everything down, exits with its code.
// Without: stays up until Ctrl-C / SIGTERM.
import { parseArgs, USAGE, UsageError } from './harness/args.js';
import { runHarness } from './harness/supervisor.js';

let code: number;
try {
  code = await runHarness(parseArgs(process.argv.slice(2)));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`${err.message}\n${USAGE}\n`);
  code = 2;
}
process.exit(code);
