// A real SMTP server on 127.0.0.1 (the `smtp-server` package) that keeps every message, and
// an HTTP helper that connects from a chosen loopback address (to appear as another client IP).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { until } from './cluster';

export interface ReceivedMail {
  readonly to: readonly string[];
  readonly subject: string;
  /** The raw message (headers and MIME parts). */
  readonly data: string;
}

export interface SmtpSink {
  readonly url: string;
  readonly received: ReceivedMail[];
  /** Mails to one recipient. */
  to(address: string): ReceivedMail[];
  /** Waits until `address` has received at least `count` mails; returns them. */
  waitFor(address: string, count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/** Decodes an RFC 2047 encoded-word subject (nodemailer uses them for non-ASCII text). */
function decodeSubject(raw: string): string {
  return raw.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) => (enc.toLowerCase() === 'b'
    ? Buffer.from(text, 'base64').toString('utf8')
    : decodeURIComponent(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, '%$1'))));
}

function subjectOf(data: string): string {
  const match = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(data);
  return match ? decodeSubject(match[1].replace(/\r\n[ \t]/g, ' ')) : '';
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const data = Buffer.concat(chunks).toString('utf8');
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: subjectOf(data), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  const to = (address: string) => received.filter((m) => m.to.includes(address));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    to,
    waitFor: (address, count, timeoutMs = 10_000) => until(() => (to(address).length >= count ? to(address) : null), timeoutMs, 50),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A GET from a given local (loopback) address with Basic auth; resolves to the status code. */
export function getFrom(localAddress: string, url: string, auth: readonly [string, string]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'GET', localAddress, agent: false,
      headers: { Authorization: `Basic ${Buffer.from(`${auth[0]}:${auth[1]}`).toString('base64')}` },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}
