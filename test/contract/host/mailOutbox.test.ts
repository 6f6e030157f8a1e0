import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startSmtpSink } from '../../support/smtpSink';
import { HostCluster } from './hostFixture';

forEachDatabase('DefaultMailOutbox', (kind) => {
  let cluster: HostCluster;

  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should keep every mail in the outbox when no SMTP server is configured', async () => {
    const rt = await cluster.start();
    await rt.mail.send({ to: 'a@example.com', subject: 'First', text: 'one' });
    await rt.mail.send({ to: 'b@example.com', subject: 'Second', text: 'two', html: '<p>two</p>' });
    const mails = await rt.mail.list();
    expect(mails.map((m) => [m.to, m.subject, m.text, m.html, m.delivered, m.error])).to.deep.equal([
      ['b@example.com', 'Second', 'two', '<p>two</p>', false, null],
      ['a@example.com', 'First', 'one', undefined, false, null],
    ]);
    await rt.mail.clear();
    expect(await rt.mail.list()).to.deep.equal([]);
  });

  it('should deliver over SMTP and record the delivery', async () => {
    const sink = await startSmtpSink();
    try {
      const rt = await cluster.start({ smtpUrl: sink.url });
      await rt.mail.send({ to: 'alice@example.com', subject: 'Your API token expires soon', text: 'Token CI expires tomorrow.' });
      await rt.mail.flush();
      expect(sink.received).to.have.length(1);
      expect(sink.received[0].to).to.deep.equal(['alice@example.com']);
      expect(sink.received[0].data).to.include('Subject: Your API token expires soon');
      expect(sink.received[0].data).to.include('Token CI expires tomorrow.');
      const [stored] = await rt.mail.list();
      expect(stored).to.include({ delivered: true, error: null, to: 'alice@example.com' });
    } finally {
      await sink.close();
    }
  });

  it('should not throw to the sender when SMTP fails, and record the error', async () => {
    const sink = await startSmtpSink();
    const deadUrl = sink.url;
    await sink.close();
    const rt = await cluster.start({ smtpUrl: deadUrl });
    await rt.mail.send({ to: 'bob@example.com', subject: 'Hello', text: 'x' });
    await rt.mail.flush();
    const [stored] = await rt.mail.list();
    expect(stored.delivered).to.equal(false);
    expect(stored.error).to.be.a('string').and.not.equal('');
  });
});
