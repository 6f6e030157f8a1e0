import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import winston from 'winston';
import { createRootLogger } from '../../../host-sim/impl/createHostLogger';
import { MemoryTransport } from '../../support/spi-fakes/CapturingLogger';

function capture(format: 'json' | 'text', level = 'info', flushDelayMs = 0) {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); });
  const logger = createRootLogger({ level, nodeId: 'node1', format, stream, flushDelayMs });
  const lines = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    return text.split('\n').filter(Boolean);
  };
  return { logger, lines, written: () => text };
}

/** What logform's own json format makes of an entry (the previous output). */
function logformJson(entry: Record<string, unknown>): string {
  const info = { ...entry, [Symbol.for('level')]: entry.level } as unknown as winston.Logform.TransformableInfo;
  const json = winston.format.json();
  const out = json.transform(info, json.options) as unknown as Record<symbol, string>;
  return out[Symbol.for('message')];
}

describe('Host logger (fast path)', () => {
  it('should write the same JSON as logform for flat entries, child fields included, one line each in order', async () => {
    const { logger, lines } = capture('json');
    const log = logger.child({ module: 'TokenAuthFilter' });
    log.info('alice has been authenticated via API Token (7)');
    log.warn('quote " backslash \\ newline \n tab \t ü 🚀', { tokenId: 42, ok: true, none: null, missing: undefined, inf: Infinity });
    const out = await lines();
    expect(out).to.have.length(2);
    const first = JSON.parse(out[0]) as Record<string, unknown>;
    expect(first).to.include({ level: 'info', message: 'alice has been authenticated via API Token (7)', module: 'TokenAuthFilter', node: 'node1' });
    expect(out[0]).to.equal(logformJson({ ...first }));
    const second = JSON.parse(out[1]) as Record<string, unknown>;
    expect(out[1]).to.equal(logformJson({ ...second, missing: undefined }));
    expect(second).to.include({ message: 'quote " backslash \\ newline \n tab \t ü 🚀', tokenId: 42, ok: true, none: null, inf: null });
  });

  it('should hand nested values and errors to logform (stack kept)', async () => {
    const { logger, lines } = capture('json');
    logger.error('with details', { detail: { b: 1, a: [1, 2] } });
    logger.error(new Error('boom'));
    const out = (await lines()).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out[0]).to.deep.include({ message: 'with details', detail: { a: [1, 2], b: 1 } });
    expect(out[1].message).to.equal('boom');
    expect(String(out[1].stack)).to.contain('Error: boom');
  });

  it('should write no raw control character or line separator of logged text, in either format', async () => {
    // From the attack review of 2026-12-02: a refused Basic user name with ESC sequences reached
    // the text log raw (it could erase a line and show a forged one on a terminal), and U+2028,
    // U+2029 and NEL stayed raw in both formats (line ends to some log readers).
    const hostile = 'x\u001b[2K\u001b[1Gadmin has been authenticated\u2028forged\u2029line\u0085nel\u007fdel\u009bcsi\nnl';
    for (const format of ['text', 'json'] as const) {
      const { logger, lines } = capture(format);
      const log = logger.child({ module: 'TokenAuthFilter' });
      log.info(hostile);
      log.info('API token refused', { user: hostile, path: `/rest/${hostile}` });
      log.info('nested', { detail: { user: hostile } });
      const out = await lines();
      expect(out, format).to.have.length(3);
      for (const line of out) expect(line, format).to.not.match(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      if (format === 'json') {
        const parsed = out.map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(parsed[0].message).to.equal(hostile);
        expect(parsed[1].user).to.equal(hostile);
        expect((parsed[2].detail as Record<string, unknown>).user).to.equal(hostile);
      }
    }
  });

  it('should write readable text lines', async () => {
    const { logger, lines } = capture('text');
    logger.child({ module: 'HostServer' }).info('Host started', { url: 'http://x/jira', plugins: ['a b'] });
    const [line] = await lines();
    expect(line).to.match(/^\d{4}-\d\d-\d\dT[\d:.]+Z INFO \[HostServer\] Host started url=http:\/\/x\/jira plugins=\["a b"\] node=node1$/);
  });

  it('should follow level changes at run time in writes and in isInfoEnabled, on children too', async () => {
    const { logger, lines } = capture('json', 'warn');
    const child = logger.child({ module: 'M' });
    expect(child.isInfoEnabled()).to.equal(false);
    child.info('dropped');
    logger.level = 'info';
    expect(child.isInfoEnabled()).to.equal(true);
    expect(child.isDebugEnabled()).to.equal(false);
    child.info('kept');
    child.debug('dropped too');
    logger.level = 'error';
    expect(logger.isWarnEnabled()).to.equal(false);
    child.warn('dropped as well');
    expect((await lines()).map((l) => (JSON.parse(l) as { message: string }).message)).to.deep.equal(['kept']);
  });

  it('should deliver to added transports through winston, and let its own be silenced', async () => {
    const { logger, lines } = capture('json', 'warn');
    for (const t of logger.transports) t.silent = true;
    const memory: string[] = [];
    logger.add(new MemoryTransport(memory));
    logger.level = 'info';
    expect(logger.isInfoEnabled()).to.equal(true);
    logger.child({ module: 'X' }).info('to memory only', { tokenId: 3 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(memory).to.have.length(1);
    expect(memory[0]).to.contain('to memory only').and.contain('"tokenId":3');
    expect(await lines()).to.deep.equal([]);
  });
});
