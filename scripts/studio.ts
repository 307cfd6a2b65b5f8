// `npm run studio`: run under the emulator harness (which has started the emulators, the provider stand-in
// and the Hosting emulator serving web/dist), print where the studio is, and stay up until Ctrl-C.
import { STUDIO_URL } from './harness/env.js';

const url = process.env.STUDIO_URL ?? STUDIO_URL;
process.stdout.write(
  `\nReelforge Studio: ${url}\n` +
    '  Sign up with any email and password (the Auth emulator keeps them until the emulators stop).\n' +
    '  Media comes from the local provider stand-in. Ctrl-C stops everything.\n\n',
);
const stop = () => process.exit(0);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
