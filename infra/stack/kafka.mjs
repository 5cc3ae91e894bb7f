// A real single-node Apache Kafka broker in KRaft mode (broker + controller in one JVM), its jars
// resolved from Maven Central.
import fs from 'node:fs';
import path from 'node:path';
import { ensureDebianPackages } from './system.mjs';
import { StackError, cmdline, isAlive, mkdirp, portOpen, readPid, repoPath, run, runSync, spawnDetached, which } from './util.mjs';

export function kafkaService(cfg) {
  const k = cfg.kafka;
  const libs = path.join(k.dir, `libs-${k.version}`);
  const complete = path.join(libs, '.complete');
  const dataDir = path.join(k.dir, 'data');
  const propsFile = path.join(k.dir, 'server.properties');
  const pidFile = path.join(k.dir, 'pid');
  const logFile = path.join(cfg.logs, 'kafka.log');
  const log4j = repoPath('infra/kafka/log4j2.yaml');
  const address = `${cfg.host}:${k.port}`;

  function java(args) {
    return ['-cp', `${libs}/*`, `-Dlog4j2.configurationFile=${log4j}`, ...args];
  }

  function ourPid() {
    const pid = readPid(pidFile);
    return pid && isAlive(pid) && cmdline(pid).includes('kafka.Kafka') ? pid : undefined;
  }

  function writeProperties() {
    const props = {
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': `1@${cfg.host}:${k.controllerPort}`,
      listeners: `PLAINTEXT://${cfg.host}:${k.port},CONTROLLER://${cfg.host}:${k.controllerPort}`,
      'advertised.listeners': `PLAINTEXT://${cfg.host}:${k.port}`,
      'controller.listener.names': 'CONTROLLER',
      'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      'inter.broker.listener.name': 'PLAINTEXT',
      'log.dirs': dataDir,
      'num.partitions': '3',
      'offsets.topic.replication.factor': '1',
      'offsets.topic.num.partitions': '10',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'transaction.state.log.num.partitions': '5',
      'share.coordinator.state.topic.replication.factor': '1',
      'share.coordinator.state.topic.min.isr': '1',
      'group.initial.rebalance.delay.ms': String(k.groupInitialRebalanceDelayMs),
      'auto.create.topics.enable': 'true',
      'log.retention.hours': '168',
    };
    const text = `# Written by infra/stack/kafka.mjs; edits are overwritten on the next start.\n${Object.entries(props)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n')}\n`;
    fs.writeFileSync(propsFile, text);
  }

  return {
    name: 'kafka',
    address,
    describe: () => address,
    pid: ourPid,

    async install(log) {
      if (fs.existsSync(complete)) return false;
      await ensureDebianPackages(
        [
          { pkg: 'openjdk-17-jre-headless', why: 'Kafka runs on the JVM', probe: () => Boolean(which('java')) },
          { pkg: 'maven', why: 'to fetch the Kafka jars from Maven Central', probe: () => Boolean(which('mvn')) },
        ],
        log,
      );
      log(`fetching Apache Kafka ${k.version} from Maven Central (mvn)`);
      mkdirp(libs);
      try {
        await run(
          'mvn',
          [
            '-B', '-q',
            '-f', repoPath('infra/kafka/pom.xml'),
            'dependency:copy-dependencies',
            '-DincludeScope=runtime',
            `-Dkafka.version=${k.version}`,
            `-Dlog4j.version=${k.log4jVersion}`,
            `-DoutputDirectory=${libs}`,
          ],
          { label: `mvn dependency:copy-dependencies (kafka_2.13 ${k.version})` },
        );
      } catch (e) {
        throw new StackError(
          `could not fetch Kafka ${k.version}: ${e.message}`,
          'check that Maven Central is reachable (mvn -v; ~/.m2/settings.xml), or pick a served version: TANDEM_KAFKA_VERSION=3.9.1 npm run stack -- up',
        );
      }
      fs.writeFileSync(complete, '');
      return true;
    },

    async start() {
      if (!fs.existsSync(complete)) throw new StackError('the Kafka jars are not installed', 'npm run stack -- up');
      for (const p of [k.port, k.controllerPort]) {
        if (await portOpen(p)) {
          throw new StackError(
            `port ${p} is taken by a process the stack did not start, so Kafka cannot listen there`,
            `stop that process, or choose other ports: TANDEM_KAFKA_PORT=19092 TANDEM_KAFKA_CONTROLLER_PORT=19093 npm run stack -- up`,
          );
        }
      }
      mkdirp(dataDir);
      writeProperties();
      if (!fs.existsSync(path.join(dataDir, 'meta.properties'))) {
        const id = runSync('java', java(['kafka.tools.StorageTool', 'random-uuid']));
        const clusterId = (id.stdout ?? '').trim().split('\n').pop();
        if (id.status !== 0 || !clusterId) throw new StackError(`kafka-storage random-uuid failed: ${id.stderr}`);
        await run('java', java(['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propsFile, '--ignore-formatted']), {
          label: 'kafka-storage format',
        });
      }
      const pid = spawnDetached(
        'java',
        [
          `-Xms256m`, `-Xmx${k.heap}`,
          '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20',
          '-Djava.awt.headless=true',
          `-Dkafka.logs.dir=${path.join(k.dir, 'server-logs')}`,
          ...java(['kafka.Kafka', propsFile]),
        ],
        { logFile },
      );
      fs.writeFileSync(pidFile, String(pid));
      return pid;
    },

    async ready() {
      if (!(await portOpen(k.port))) return false;
      // The port opens a little before the broker has registered with its controller.
      try {
        return /Kafka Server started/.test(fs.readFileSync(logFile, 'utf8'));
      } catch {
        return true;
      }
    },

    readyTimeoutMs: 120_000,
    logFile,
    pidFile,
  };
}
