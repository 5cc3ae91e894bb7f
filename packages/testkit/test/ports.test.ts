import fs from 'node:fs';
import net from 'node:net';
import { freePorts } from '../src';

describe('freePorts', () => {
  it('gives distinct ports below the kernel’s range for outgoing connections, each free to listen on', async () => {
    const ports = await freePorts(8);
    expect(new Set(ports).size).toBe(8);
    const low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(low);
    }
    const servers = await Promise.all(
      ports.map((port) => new Promise<net.Server>((resolve, reject) => {
        const server = net.createServer().once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve(server));
      })),
    );
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });
});
