// The database password never printed: the `npm start` banner, the "Host runtime started" and
// "Host database is unreachable" log lines and every start-up error name DB_URL redacted. The
// redaction ended the password at its first `@`, while the URL parser (and so the host, which
// connects with it) ends the credentials at the last one: a password with an unencoded `@`
// (`p@ss@db`) was printed from that `@` on, and a user name with one (`jira@dc:pw@db`) printed the
// whole password (secure-defaults review, 2026-12-05).
import { expect } from 'chai';
import { redactDbUrl as redactForConfig } from '../../../host-sim/config';
import { parseDbUrl, redactDbUrl } from '../../../host-sim/impl/db/dbUrl';

/** URLs the host connects with, and the password it sends. */
const ACCEPTED: ReadonlyArray<[string, string]> = [
  ['mysql://jira:s3cret@db.example:3306/jiradb', 's3cret'],
  ['mysql://jira:p@ss@word@db.example/jiradb', 'p@ss@word'],
  ['mysql://jira@dc:s3cret@db.example/jiradb', 's3cret'],
  ['postgres://jira:top:s3cret@db.example:5432/jiradb', 'top:s3cret'],
  ['postgresql://jira@dc:pa@ss@db.example/jiradb?connect_timeout=5', 'pa@ss'],
  ['mariadb://:s3cret@db.example/jiradb', 's3cret'],
];

describe('redactDbUrl', () => {
  for (const [url, password] of ACCEPTED) {
    it(`should show no part of the password the host connects with: ${url}`, () => {
      const parsed = parseDbUrl(url);
      expect(parsed.dialect).to.not.equal('sqlite');
      expect((parsed as { password: string }).password).to.equal(password);
      for (const redacted of [redactDbUrl(url), redactForConfig(url), parsed.redacted]) {
        for (const part of password.split(/[@:]/).filter((p) => p.length > 1)) expect(redacted).to.not.include(part);
        expect(redacted).to.include('db.example');
      }
    });
  }

  it('should hide a password given as a query parameter, and what an SMTP URL carries', () => {
    expect(redactDbUrl('postgres://jira@db.example/jiradb?password=s3cret&sslmode=require')).to.not.include('s3cret');
    expect(redactForConfig('smtp://mailer:s3@cret@smtp.example:587')).to.not.include('cret');
  });

  it('should leave URLs without a password as they are', () => {
    for (const url of ['sqlite:/var/lib/jira.db', 'mysql://jira@db.example:3306/jiradb', 'postgres://db.example/jiradb', 'smtp://127.0.0.1:2525']) {
      expect(redactDbUrl(url)).to.equal(url);
      expect(redactForConfig(url)).to.equal(url);
    }
  });
});
