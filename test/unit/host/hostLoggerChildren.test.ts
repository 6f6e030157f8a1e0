import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import type { Logger } from 'winston';
import { createRootLogger } from '../../../host-sim/impl/createHostLogger';
import { MemoryTransport } from '../../support/spi-fakes/CapturingLogger';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** Loads the TypeScript of the child processes below from a disk cache where it can. */
const REGISTER_TS = path.join(ROOT, 'scripts', 'register-ts.js');
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;

/** A root logger on a stream; `slow` adds a second transport, which turns every fast path off. */
function rootLogger(format: 'json' | 'text', slow: boolean) {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); });
  const logger = createRootLogger({ level: 'info', nodeId: 'node1', format, stream, flushDelayMs: 0 });
  if (slow) logger.add(new MemoryTransport([]));
  const lines = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    return text.split('\n').filter(Boolean).map((l) => l.replace(ISO, 'TIME'));
  };
  return { logger, lines };
}

const MESSAGES = ['alice has been authenticated via API Token (7) (abc)', 'quote " backslash \\ newline \n tab \t ü 🚀 \u2028', '', 'mSg0x7f3a9c1e', 'a=b "c"'];

function writeAll(logger: Logger): void {
  const plugin = logger.child({ plugin: 'de.resolution.apitokenauth' });
  const children = [
    logger.child({ module: 'TokenAuthFilter' }),
    plugin.child({ module: 'TokenRequestAuthentication' }),
    plugin.child({ module: 'Inner', plugin: 'overridden' }),
    logger.child({ module: 'Nested', detail: { a: 1 } }),
    logger.child({ module: 'Spaced name', extra: 'x y', message: 'not the message' }),
  ];
  for (const child of children) {
    for (const message of MESSAGES) {
      child.info(message);
      child.warn(message);
      child.debug(message);
    }
    child.info('with fields', { tokenId: 3 });
  }
}

describe('Host logger: templated children', () => {
  for (const format of ['json', 'text'] as const) {
    it(`should write message-only lines of children exactly as winston's path does (${format})`, async () => {
      const fast = rootLogger(format, false);
      const slow = rootLogger(format, true);
      writeAll(fast.logger);
      writeAll(slow.logger);
      const fastLines = await fast.lines();
      // One line per entry: a newline in a message is written escaped in both formats.
      expect(fastLines).to.have.length(5 * (MESSAGES.length * 2 + 1));
      expect(fastLines).to.deep.equal(await slow.lines());
    });
  }

  it("should not go through winston's write for a message-only call (and should for one with fields)", async () => {
    const { logger, lines } = rootLogger('json', false);
    const child = logger.child({ module: 'M' });
    let writes = 0;
    // Every child's write ends in the root's.
    const write = logger.write.bind(logger);
    logger.write = ((info: unknown) => { writes++; return write(info as never); }) as typeof logger.write;
    child.info('templated');
    expect(writes).to.equal(0);
    child.info('with fields', { tokenId: 1 });
    expect(writes).to.equal(1);
    expect(await lines()).to.have.length(2);
  });

  it('should follow the level and an added transport at run time', async () => {
    const { logger, lines } = rootLogger('json', false);
    const child = logger.child({ plugin: 'p' }).child({ module: 'M' });
    child.info('one');
    logger.level = 'warn';
    child.info('dropped');
    logger.level = 'info';
    const memory: string[] = [];
    logger.add(new MemoryTransport(memory));
    child.info('two');
    const out = (await lines()).map((l) => (JSON.parse(l) as { message: string; module: string; plugin: string }));
    expect(out.map((o) => o.message)).to.deep.equal(['one', 'two']);
    expect(out[0]).to.include({ module: 'M', plugin: 'p' });
    expect(memory).to.have.length(1);
    expect(memory[0]).to.contain('two').and.contain('"module":"M"');
  });

  it('should hold lines for the flush delay and write them in one piece', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    const logger = createRootLogger({ level: 'info', nodeId: 'node1', format: 'json', stream, flushDelayMs: 30 });
    const child = logger.child({ module: 'M' });
    for (let i = 0; i < 100; i++) child.info(`line ${i}`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks).to.deep.equal([]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(chunks).to.have.length(1);
    expect(chunks[0].split('\n').filter(Boolean)).to.have.length(100);
  });

  it('should write buffered lines when the process exits before the delay', () => {
    const script = `
      const { createRootLogger } = require('./host-sim/impl/createHostLogger');
      const log = createRootLogger({ level: 'info', nodeId: 'n', format: 'json', flushDelayMs: 60000 }).child({ module: 'Exit' });
      log.info('written on exit');
      setTimeout(() => process.exit(0), 20);`;
    const run = spawnSync(process.execPath, ['-r', REGISTER_TS, '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 50_000 });
    expect(run.status).to.equal(0);
    expect(run.stderr).to.contain('"message":"written on exit"');
  });
});
