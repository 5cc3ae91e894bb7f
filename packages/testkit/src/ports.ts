import fs from 'node:fs';
import net from 'node:net';

/** The kernel's range for outgoing connections' local ports (Linux; the usual default elsewhere). */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && high) return [low, high];
  } catch {
    // not Linux
  }
  return [32768, 60999];
}

function tryListen(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * `count` distinct free loopback ports for servers a test starts itself (a private Kafka, a second
 * stack). Two traps of "listen on port 0, close, reuse the number" are avoided: the kernel may hand
 * out the same just-freed port twice, and it takes its ephemeral range for every outgoing connection
 * too, so on a machine busy with other suites a port chosen there can be taken before the server binds
 * it. These come from below that range, and all are held until every one is found.
 * @example const [kafka, controller] = await freePorts(2);
 */
export async function freePorts(count: number): Promise<number[]> {
  const [ephemeralLow] = ephemeralRange();
  const low = 20_000;
  const high = Math.max(low + 1_000, ephemeralLow - 1);
  const held: net.Server[] = [];
  try {
    for (let attempts = 0; held.length < count; attempts++) {
      if (attempts > count * 200) throw new Error(`freePorts: no ${count} free ports between ${low} and ${high}`);
      const port = low + Math.floor(Math.random() * (high - low));
      if (held.some((s) => (s.address() as net.AddressInfo).port === port)) continue;
      const server = await tryListen(port);
      if (server) held.push(server);
    }
    return held.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
  }
}
