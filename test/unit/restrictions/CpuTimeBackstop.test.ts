import { expect } from 'chai';
import { CpuTimeBackstop, SYSTEM_CPU_CLOCKS, type CpuClocks } from '../../../plugin/restrictions/CpuTimeBackstop';

/** Clocks the test moves by hand; counts the thread clock's readings. */
class FakeClocks implements CpuClocks {
  processMs = 1_000;
  threadMs: number | undefined = 500;
  threadReads = 0;
  process(): number { return this.processMs; }
  thread(): number | undefined { this.threadReads++; return this.threadMs; }
  /** This thread works `ms`; the other threads `others` meanwhile. */
  work(ms: number, others = 0): void {
    this.processMs += ms + others;
    if (this.threadMs !== undefined) this.threadMs += ms;
  }
}

describe('CpuTimeBackstop', () => {
  it('should not count other threads\' CPU time', () => {
    const clocks = new FakeClocks();
    const backstop = new CpuTimeBackstop(100, clocks);
    for (let i = 0; i < 9; i++) {
      clocks.work(10, 200);
      expect(backstop.exceeded(), `after ${(i + 1) * 10} ms`).to.equal(false);
    }
    clocks.work(11, 200);
    expect(backstop.exceeded()).to.equal(true);
  });

  it('should read the thread clock only once the process clock has moved past what the thread had left', () => {
    const clocks = new FakeClocks();
    const backstop = new CpuTimeBackstop(100, clocks);
    const atStart = clocks.threadReads;
    for (let i = 0; i < 50; i++) {
      clocks.work(1);
      expect(backstop.exceeded()).to.equal(false);
    }
    expect(clocks.threadReads).to.equal(atStart);
    clocks.work(1, 60);
    expect(backstop.exceeded()).to.equal(false);
    expect(clocks.threadReads).to.equal(atStart + 1);
    // 49 ms left: the next 49 ms of the process's time cannot be more than 49 ms of the thread's.
    clocks.work(20, 20);
    expect(backstop.exceeded()).to.equal(false);
    expect(clocks.threadReads).to.equal(atStart + 1);
    clocks.work(30);
    expect(backstop.exceeded()).to.equal(true);
  });

  it('should count the process\'s CPU time where the platform has no thread clock', () => {
    const clocks = new FakeClocks();
    clocks.threadMs = undefined;
    const backstop = new CpuTimeBackstop(100, clocks);
    clocks.work(10, 80);
    expect(backstop.exceeded()).to.equal(false);
    clocks.work(5, 10);
    expect(backstop.exceeded()).to.equal(true);
  });

  it('should count the process\'s CPU time when the thread clock stops answering', () => {
    const clocks = new FakeClocks();
    const backstop = new CpuTimeBackstop(100, clocks);
    clocks.threadMs = undefined;
    clocks.work(0, 101);
    expect(backstop.exceeded()).to.equal(true);
  });

  it('should be exceeded at once with a limit of 0 ms after any work', () => {
    const clocks = new FakeClocks();
    const backstop = new CpuTimeBackstop(0, clocks);
    clocks.work(0.001);
    expect(backstop.exceeded()).to.equal(true);
  });

  it('should read a thread clock on this machine (Linux) that grows with this thread\'s work and stays below the process\'s', () => {
    const t0 = SYSTEM_CPU_CLOCKS.thread();
    const p0 = SYSTEM_CPU_CLOCKS.process();
    expect(t0).to.be.a('number');
    // Work until the thread clock has counted 15 ms (a wall-time limit, not a fixed spin: on a
    // loaded CI machine 30 ms of wall time gave this thread only 8.6 ms of CPU).
    const deadline = performance.now() + 5000;
    let x = 0;
    while (((SYSTEM_CPU_CLOCKS.thread() as number) - (t0 as number)) < 15 && performance.now() < deadline) {
      for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + 1);
    }
    const t1 = SYSTEM_CPU_CLOCKS.thread() as number;
    const p1 = SYSTEM_CPU_CLOCKS.process();
    expect(x).to.be.above(0);
    expect(t1 - (t0 as number), 'the thread clock grows with the work').to.be.at.least(15);
    // Different kernel counters: allow their rounding (the process's is in whole microseconds of ticks).
    expect(t1 - (t0 as number)).to.be.at.most(p1 - p0 + 5);
  });
});
