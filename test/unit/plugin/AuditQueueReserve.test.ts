// A sudo request's event takes the reserve. A batch whose write failed was put back in front of the
// queue and the whole cut to capacity + reserve: ordinary events that arrived while the write was
// out (the batch's splice had made room for them) then filled the reserve, and the event of a sudo
// request admitted in that window — the newest, at the tail — was cut. The run-as request was
// carried out and left no event (audit log down or failing, ordinary token traffic going on).
import { expect } from 'chai';
import type { AuditEvent } from '../../../host-sim/spi';
import { AuditQueue } from '../../../plugin/service/AuditQueue';
import { createCapturingLogger, FakeAuditService } from '../../support/spi-fakes';

const event = (n: number, action = 'token.used'): AuditEvent => ({ action, summary: `s${n}`, category: 'API tokens', author: null });

describe('AuditQueue reserve when a write fails', () => {
  it('should keep the event of a sudo request admitted while a failing write was out', async () => {
    let fail!: (err: Error) => void;
    const audit = new (class extends FakeAuditService {
      override recordAll(events: readonly AuditEvent[]) {
        if (this.available) return super.recordAll(events);
        return new Promise<void>((_resolve, reject) => { fail = reject; });
      }
    })();
    const q = new AuditQueue(audit, createCapturingLogger().logger, { capacity: 10, batchSize: 100, flushIntervalMs: 60000, reserve: 2 });
    audit.available = false;
    for (let i = 0; i < 10; i++) q.enqueue(event(i));
    const flushing = q.flush();
    // While the write is out: the splice made room, ordinary token traffic fills it again, then
    // a sudo request finishes.
    for (let i = 10; i < 20; i++) q.enqueue(event(i));
    q.enqueueReserved(event(99, 'token.used.sudo'));
    fail(new Error('audit log down'));
    await flushing;
    audit.available = true;
    await q.close();
    expect(audit.events.map((e) => e.action), 'the sudo request\'s event').to.include('token.used.sudo');
  });
});
