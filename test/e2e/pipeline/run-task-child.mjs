// Runs one task delivery of a job in this process, through the built functions bundle exactly as the
// functions runtime would (`.run` is the handler a deployed task function calls). The kill test starts it
// as a child process and kills it mid-upload.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const bundle = require('../../../functions/lib/index.js');
const [functionName, payload] = process.argv.slice(2);
await bundle[functionName].run({ data: JSON.parse(payload) });
process.exit(0);
