/**
 * The worker process: `npm run start -w @tandem/worker` (after `npm run build`). Configuration comes
 * from the environment (see docs/operations.md); a bad value stops it with a message naming it.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@tandem/config';
import { createLogger } from './logger';
import { loadWorkerSettings, startWorkerRuntime } from './wiring';

async function main(): Promise<void> {
  let config;
  let settings;
  try {
    config = loadConfig();
    settings = loadWorkerSettings();
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError ? e.message : (e as Error).message}\n`);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  const runtime = await startWorkerRuntime({ config, settings, logger });
  logger.info(
    { taskQueue: config.temporal.taskQueue, temporal: config.temporal.address, http: runtime.httpUrl, customActivities: runtime.registry.descriptors().map((d) => d.name) },
    'worker started',
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing the tasks in hand');
    runtime.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error({ err: e }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  await runtime.run();
}

main().catch((e: unknown) => {
  process.stderr.write(`worker failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
