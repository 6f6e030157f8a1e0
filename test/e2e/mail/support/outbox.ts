// The host's mail outbox as the mail suites read it (`/rest/hostsim/1.0/mail`, as the admin).
import { expect } from 'chai';
import type { E2eEnv } from '../../plugin/support/e2eHost';

export interface OutboxMail { to: string; subject: string; text: string }

export interface Outbox {
  /** Every mail sent so far. */
  all(): Promise<OutboxMail[]>;
  /** The mails to `to` that name token `id` (`(id N)` in their text). */
  naming(to: string, id: number): Promise<OutboxMail[]>;
  /**
   * What `list` returns once it holds `expected` mails (polled for up to 10 s: mails are sent after
   * the answer, and under load that can take longer than any fixed pause), and then 1.5 s later, so
   * that a mail too many lands too.
   */
  settled<T>(list: () => Promise<T[]>, expected: number): Promise<T[]>;
  /** A create or regenerate answer that must be 200; its secret is kept for the suite's leak check. */
  keep(res: { status: number; text: string; json: { plainTextToken?: string; id?: number } }): { id: number; plainTextToken: string };
}

export function outboxOf(e2e: () => E2eEnv): Outbox {
  const all = async (): Promise<OutboxMail[]> => (await e2e().as('admin', '/rest/hostsim/1.0/mail')).json as OutboxMail[];
  return {
    all,
    naming: async (to, id) => (await all()).filter((m) => m.to === to && m.text.includes(`(id ${id})`)),
    async settled(list, expected) {
      for (const deadline = Date.now() + 10_000; (await list()).length < expected && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1500));
      return list();
    },
    keep(res) {
      expect(res.status, res.text).to.equal(200);
      e2e().issued.push(res.json.plainTextToken as string);
      return res.json as { id: number; plainTextToken: string };
    },
  };
}
