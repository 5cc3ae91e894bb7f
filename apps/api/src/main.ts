import { ConfigError } from '@tandem/config';
import { loadApiConfig } from './config/api-config';
import { createApp } from './create-app';

async function main(): Promise<void> {
  let config;
  try {
    config = loadApiConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`tandem-api: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  if (config.api.jwtSecretIsDevDefault) {
    process.stderr.write('tandem-api: WARNING: TANDEM_JWT_SECRET is not set; using the development default. Set it (at least 32 characters) anywhere but your own machine.\n');
  }
  const app = await createApp({ config });
  await app.listen(config.api.port, config.api.host);
  const url = `http://${config.api.host}:${config.api.port}`;
  app.get(await import('nestjs-pino').then((m) => m.Logger)).log(`Tandem API listening on ${url} (OpenAPI ${url}/openapi.json, docs ${url}/docs)`);
}

main().catch((e: unknown) => {
  process.stderr.write(`tandem-api: failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
