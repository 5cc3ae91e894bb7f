import { processCpuMs } from '../src';

describe('processCpuMs', () => {
  it('counts the CPU a process uses, like process.cpuUsage does for this one', () => {
    const before = processCpuMs([process.pid]);
    const usage = process.cpuUsage();
    let x = 0;
    const until = Date.now() + 300;
    while (Date.now() < until) x += Math.sqrt(x + 1);
    const spent = process.cpuUsage(usage);
    const measured = processCpuMs([process.pid]) - before;
    expect(x).toBeGreaterThan(0);
    // /proc counts in 10 ms ticks: within two ticks of what Node reports.
    expect(Math.abs(measured - (spent.user + spent.system) / 1000)).toBeLessThanOrEqual(20);
  });

  it('counts a process that is gone as nothing', () => {
    expect(processCpuMs([2 ** 22 + 12345])).toBe(0);
    expect(processCpuMs([])).toBe(0);
  });
});
