// Configuration of the local stack: every port, version and path comes from an environment variable
// with a default, so two checkouts (or a developer's own services) can live side by side.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function env(name, fallback) {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

/** A whole number from the environment within [min, max]; `what` names the expectation in the error. */
function integer(name, fallback, min, max, what) {
  const raw = env(name, String(fallback));
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name}=${raw} is not ${what}`);
  return value;
}

const port = (name, fallback) => integer(name, fallback, 1, 65535, 'a TCP port (1-65535)');

export function loadStackConfig() {
  const dir = path.resolve(repoRoot, env('TANDEM_STACK_DIR', '.stack'));
  const host = '127.0.0.1';
  const temporalPort = port('TANDEM_TEMPORAL_PORT', 7233);
  const kafkaPort = port('TANDEM_KAFKA_PORT', 9092);
  const pgPort = port('TANDEM_PG_PORT', 55432);
  return {
    dir,
    host,
    logs: path.join(dir, 'logs'),
    temporal: {
      cliVersion: env('TANDEM_TEMPORAL_CLI_VERSION', '1.9.1'),
      port: temporalPort,
      uiPort: port('TANDEM_TEMPORAL_UI_PORT', temporalPort + 1000),
      headless: env('TANDEM_TEMPORAL_HEADLESS', '0') === '1',
      namespace: env('TANDEM_TEMPORAL_NAMESPACE', 'default'),
      dir: path.join(dir, 'temporal'),
      // Search attributes the contact workflow sets, so `temporal workflow list --query` finds contacts.
      searchAttributes: {
        TandemContactId: 'Keyword',
        TandemFlowId: 'Keyword',
        TandemFlowVersion: 'Int',
        TandemChannel: 'Keyword',
        TandemStep: 'Keyword',
        TandemQueue: 'Keyword',
        TandemOutcome: 'Keyword',
      },
    },
    kafka: {
      version: env('TANDEM_KAFKA_VERSION', '4.1.1'),
      log4jVersion: env('TANDEM_LOG4J_VERSION', '2.24.3'),
      port: kafkaPort,
      controllerPort: port('TANDEM_KAFKA_CONTROLLER_PORT', kafkaPort + 1),
      heap: env('TANDEM_KAFKA_HEAP', '512m'),
      // How long a new consumer group waits for more members before its first rebalance (Kafka's own
      // default is 3 s; 0 makes tests fast). Tests raise it to make a slow group join on purpose.
      groupInitialRebalanceDelayMs: integer('TANDEM_KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS', 0, 0, 600_000, 'a delay in ms (0-600000)'),
      dir: path.join(dir, 'kafka'),
    },
    postgres: {
      port: pgPort,
      database: env('TANDEM_PG_DATABASE', 'tandem'),
      user: env('TANDEM_PG_USER', 'tandem'),
      password: env('TANDEM_PG_PASSWORD', 'tandem'),
      dir: path.join(dir, 'postgres'),
      // Debian's server binaries; override to use another installation.
      binDir: env('TANDEM_PG_BIN', ''),
    },
  };
}
