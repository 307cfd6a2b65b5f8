// CLI for the provider stand-in: `tsx scripts/standin/main.ts --port 9700`. Logs one line when ready and
// exits cleanly on SIGTERM/SIGINT. Keys and the webhook secret may also come from the environment (the
// emulator harness passes the same values it writes into the functions' secrets).
import { parseArgs } from 'node:util';
import { FAULT_HELP } from './faults.js';
import { DEFAULT_WEBHOOK_SECRET, startStandin } from './server.js';

const HELP = `Reelforge provider stand-in: local OpenAI + Replicate look-alike with real media.

Usage: tsx scripts/standin/main.ts [options]

Options:
  --port <n>                 port to listen on (default 9700; 0 = random)
  --host <addr>              address to bind (default 127.0.0.1)
  --prediction-seconds <s>   how long a prediction runs (default 2)
  --output-ttl <s>           outputs removed this long after a prediction ends: URLs 404, the
                             prediction answers output null, data_removed true (default 3600)
  --seed <n>                 seed of generated answers and media (default 1)
  --big-output-bytes <n>     make every video output this large, streamed (default 0 = off)
  --public-url <url>         base of handed-out URLs (env STANDIN_URL; default http://host:port)
  --webhook-secret <whsec_>  webhook signing secret (env STANDIN_WEBHOOK_SECRET)
  -h, --help                 this text

Environment: STANDIN_OPENAI_API_KEY / STANDIN_REPLICATE_API_TOKEN, when set, are the only keys accepted
(otherwise any non-empty bearer token is).

Faults (POST /__standin/faults {target, fault, kind?, model?, match?, on?, after?, times?}, or [[standin:<fault>]]
in a prompt):
${Object.entries(FAULT_HELP)
  .map(([name, text]) => `  ${name.padEnd(16)} ${text}`)
  .join('\n')}

Admin: GET|DELETE /__standin/stats, GET|POST /__standin/config, GET|POST|DELETE /__standin/faults,
GET /__standin/health.
`;

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`standin: --${name} must be a number >= 0\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'prediction-seconds': { type: 'string' },
      'output-ttl': { type: 'string' },
      seed: { type: 'string' },
      'big-output-bytes': { type: 'string' },
      'public-url': { type: 'string' },
      'webhook-secret': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const env = process.env;
  const port = numberOption(values.port, 'port');
  const predictionSeconds = numberOption(values['prediction-seconds'], 'prediction-seconds');
  const outputTtlSeconds = numberOption(values['output-ttl'], 'output-ttl');
  const seed = numberOption(values.seed, 'seed');
  const bigOutputBytes = numberOption(values['big-output-bytes'], 'big-output-bytes');
  const publicUrl = values['public-url'] ?? env.STANDIN_URL;
  const standin = await startStandin({
    webhookSecret: values['webhook-secret'] ?? env.STANDIN_WEBHOOK_SECRET ?? DEFAULT_WEBHOOK_SECRET,
    ...(port === undefined ? {} : { port }),
    ...(values.host ? { host: values.host } : {}),
    ...(predictionSeconds === undefined ? {} : { predictionSeconds }),
    ...(outputTtlSeconds === undefined ? {} : { outputTtlSeconds }),
    ...(seed === undefined ? {} : { seed }),
    ...(bigOutputBytes === undefined ? {} : { bigOutputBytes }),
    ...(publicUrl ? { publicUrl } : {}),
    ...(env.STANDIN_OPENAI_API_KEY ? { openaiApiKey: env.STANDIN_OPENAI_API_KEY } : {}),
    ...(env.STANDIN_REPLICATE_API_TOKEN ? { replicateApiToken: env.STANDIN_REPLICATE_API_TOKEN } : {}),
  });
  process.stdout.write(
    `standin ready at ${standin.url} (openai ${standin.openaiBaseUrl}, replicate ${standin.replicateBaseUrl}, ` +
      `predictions ${standin.config.predictionSeconds} s)\n`,
  );
  let stopping = false;
  // Kept installed after the first signal: a second one (a supervisor and a terminal both signalling)
  // must not kill the process before the output folder is removed.
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`standin: ${signal}, closing\n`);
    standin.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`standin: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
