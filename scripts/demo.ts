// `npm run demo`: the whole journey of a user on the local emulators, as a real client with live progress.
// Runs inside the emulator harness (`tsx scripts/emulators.ts -- tsx scripts/demo.ts [options]`); see
// `--help` and scripts/demo/.
import { DEMO_USAGE, DemoUsageError, parseDemoArgs } from './demo/args.js';
import { CallError } from './demo/client.js';
import { formatDuration } from './demo/display.js';
import { runDemo } from './demo/journey.js';
import { productionLines, summaryTable } from './demo/summary.js';
import { ProductionFailedError } from './demo/watch.js';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseDemoArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof DemoUsageError)) throw err;
    process.stderr.write(`${err.message}\n\n${DEMO_USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${DEMO_USAGE}\n`);
    return 0;
  }
  try {
    const result = await runDemo(parsed.options);
    const video = result.probe.streams.find((s) => s.codec_type === 'video');
    const mb = (result.probe.sizeBytes / 1e6).toFixed(1);
    process.stdout.write(
      [
        '',
        `Final video:    ${result.videoFileUrl}`,
        `                ${result.probe.durationSeconds.toFixed(2)} s, ${video?.width}x${video?.height}, H.264/AAC, ${mb} MB` +
          ` (Storage: ${result.videoStoragePath})`,
        ...result.packs.flatMap((pack) => {
          const failed = pack.checks.filter((c) => !c.pass);
          return [
            `${pack.format.padEnd(6)} pack:    ${pack.video}, .srt, .vtt, -poster.jpg`,
            `                quality gate: ${pack.checks.length - failed.length} of ${pack.checks.length} checks passed` +
              (failed.length ? '' : ` (${pack.checks.map((c) => c.name).join(', ')})`),
            ...failed.map(
              (c) => `                FAILED ${c.name}: ${c.problem ?? `${c.measured} against ${c.limit}`}`,
            ),
          ];
        }),
        ...result.languageFiles.map(
          (file) => `In ${file.language.padEnd(6)}:     ${file.video}, ${file.srt}`,
        ),
        `Contact sheet:  ${result.contactSheet}` +
          (result.contactSheetLabeled
            ? ''
            : '\n                (no font file found: keyframes without captions)'),
        '',
        `${result.project.scenes.length} scenes, ${result.jobs} jobs, ${formatDuration(result.totalMs)}:`,
        ...productionLines(result.production, result.totalMs).map((line) => `  ${line}`),
        summaryTable(result.steps, result.totalMs),
        '',
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    if (err instanceof ProductionFailedError) {
      // Its blocked steps, each with the backend's reason: what to fix before `retryProduction`.
      const { production } = err;
      const steps = production.blocked.map((b) => b.step).join(', ') || 'none recorded';
      process.stderr.write(
        `\nThe production ${production.status}; blocked steps: ${steps}\n` +
          `${productionLines(production, 0)
            .map((line) => `  ${line}\n`)
            .join('')}`,
      );
      return 1;
    }
    if (err instanceof DemoUsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    const message = err instanceof CallError || err instanceof Error ? err.message : String(err);
    process.stderr.write(`\nThe demo failed: ${message}\n`);
    return 1;
  }
}

process.exit(await main());
