// Runs one task delivery of a job in this process, through the built functions bundle exactly as the
// functions runtime would (`.run` is the handler a deployed task function calls). The kill test starts it
// as a child process and kills it mid-upload. The function is named as deployed: `jobs-video` is the
// `video` member of the bundle's `jobs` group.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const bundle = require('../../../functions/lib/index.js');
const [functionName, payload] = process.argv.slice(2);
const fn = functionName.split('-').reduce((group, key) => group[key], bundle);
await fn.run({ data: JSON.parse(payload) });
process.exit(0);
