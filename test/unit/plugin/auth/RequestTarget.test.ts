import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { canonicalTarget, isPasswordRulePath, isRestPath, MAX_TARGET_LENGTH, type CanonicalTarget } from '../../../../plugin/service/auth/RequestTarget';
import { SERVLET_URL_PATTERN } from '../../../../plugin/ui/servletPaths';

/** [target, expected canonical path or refusal]; routing is assumed to have matched the raw path. */
const CASES: ReadonlyArray<readonly [string, string]> = [
  ['/jira/rest/api/2/myself', 'ok:/rest/api/2/myself'],
  ['/jira/rest/api/2/myself?jql=a%20b#x', 'FRAGMENT'],
  ['/jira/rest/api/2/myself#/rest/api/2/issue/TEST-1', 'FRAGMENT'],
  ['http://localhost/jira/rest/api/2/myself', 'ok:/rest/api/2/myself'],
  ['http://localhost/jira/rest/api/2/myself#/rest/api/2/issue/TEST-1', 'FRAGMENT'],
  ['http://localhost:2990/jira/rest/api/2/issue/TEST-1?x=1', 'ok:/rest/api/2/issue/TEST-1'],
  ['http://localhost/jira/rest/api/2/x/../myself', 'ABSOLUTE_FORM_MISMATCH'],
  ['http://localhost/jira/rest/api/2/%2e%2e/myself', 'ABSOLUTE_FORM_MISMATCH'],
  ['http://localhost/jira/rest/api/2/my self', 'ABSOLUTE_FORM_MISMATCH'],
  ['ftp://localhost/jira/rest/api/2/myself', 'ABSOLUTE_FORM_MISMATCH'],
  ['*', 'NOT_ORIGIN_FORM'],
  ['localhost:2990', 'NOT_ORIGIN_FORM'],
  ['/jira/rest/api/2/issue/TEST-1/../../myself', 'DOT_SEGMENT'],
  ['/jira/rest/api/2/issue/TEST-1/%2e%2e/%2E%2E/myself', 'DOT_SEGMENT'],
  ['/jira/rest/api/2/./myself', 'DOT_SEGMENT'],
  ['/jira/rest/api/2/%2e/myself', 'DOT_SEGMENT'],
  ['/jira/rest/api/2/myself/..', 'DOT_SEGMENT'],
  ['/jira/rest/api/2/issue%2fTEST-1', 'ENCODED_SEPARATOR'],
  ['/jira/rest/api/2/issue%2FTEST-1', 'ENCODED_SEPARATOR'],
  ['/jira/rest/api/2/issue%5cTEST-1', 'ENCODED_SEPARATOR'],
  ['/jira/rest/api/2\\myself', 'BACKSLASH'],
  ['/jira/rest//api/2/myself', 'EMPTY_SEGMENT'],
  ['//jira/rest/api/2/myself', 'EMPTY_SEGMENT'],
  ['/jira/rest/api/2/myself;jsessionid=1', 'PATH_PARAMETER'],
  ['/jira/rest/api/2/myself%3Bx', 'PATH_PARAMETER'],
  ['/jira/rest/api/2/my%00self', 'CONTROL_CHARACTER'],
  ['/jira/rest/api/2/my%7Fself', 'CONTROL_CHARACTER'],
  ['/jira/rest/api/2/myself%zz', 'BAD_PERCENT_ENCODING'],
  ['/jira/rest/api/2/myself%', 'BAD_PERCENT_ENCODING'],
  ['/jira/rest/api/2/%C0%AF', 'BAD_PERCENT_ENCODING'],
  // Routing compares literal segments with the raw path (`my%73elf` is not its `myself`), rules the
  // decoded one: a letter, digit, '-', '.' or '_' that no encoder escapes is refused escaped.
  ['/jira/rest/api/2/issue/TEST%2D1', 'ENCODED_PLAIN_CHARACTER'],
  ['/jira/rest/api/2/my%73elf', 'ENCODED_PLAIN_CHARACTER'],
  ['/jira/rest/api/%32/myself', 'ENCODED_PLAIN_CHARACTER'],
  ['/jira/r%65st/api/2/myself', 'ENCODED_PLAIN_CHARACTER'],
  ['/jira/rest/api/2/issue/JRA-1%2ejson', 'ENCODED_PLAIN_CHARACTER'],
  ['/jira/rest/api/2/issue/a%5Fb', 'ENCODED_PLAIN_CHARACTER'],
  ['/j%69ra/rest/api/2/myself', 'ENCODED_PLAIN_CHARACTER'],
  // What encoders do escape stays readable: '~' (Java's URLEncoder), '@', ':', '+', a space.
  ['/jira/rest/api/space/%7Ejdoe', 'ok:/rest/api/space/~jdoe'],
  ['/jira/rest/api/2/user/a%40b%3Ac%2Bd%20e', 'ok:/rest/api/2/user/a@b:c+d e'],
  ['/jira/rest/api/2/issue/caf%C3%A9', 'ok:/rest/api/2/issue/café'],
  ['/jira/rest/api/2/issue/100%25', 'ok:/rest/api/2/issue/100%'],
  ['/JIRA/REST/api/2/myself', 'ok:/REST/api/2/myself'],
  ['/jira/rest/api/2/myself/', 'ok:/rest/api/2/myself/'],
  ['/jira/jira/rest/api/2/myself', 'ok:/jira/rest/api/2/myself'],
  ['/jira', 'ok:/'],
  ['/jira/', 'ok:/'],
  ['/jirax/rest/api/2/myself', 'OUTSIDE_CONTEXT'],
  ['/confluence/rest/api/2/myself', 'OUTSIDE_CONTEXT'],
  [`/jira/rest/${'a'.repeat(MAX_TARGET_LENGTH)}`, 'TOO_LONG'],
];

function show(t: CanonicalTarget): string {
  return t.ok ? `ok:${t.path}` : t.reason;
}

/** The raw path routing would have matched for an accepted target. */
function routed(target: string): string {
  const noQuery = target.split('?')[0];
  if (noQuery.startsWith('/')) return noQuery;
  try { return new URL(noQuery.replace(/#.*/, '')).pathname; } catch { return noQuery; }
}

describe('canonicalTarget', () => {
  for (const [target, expected] of CASES) {
    it(`should read ${JSON.stringify(target.slice(0, 70))} as ${expected}`, () => {
      expect(show(canonicalTarget(target, routed(target), '/jira'))).to.equal(expected);
    });
  }

  it('should refuse a target whose path is not the one routing matched', () => {
    expect(show(canonicalTarget('/jira/rest/api/2/myself', '/jira/rest/api/2/issue/TEST-1', '/jira'))).to.equal('ROUTING_MISMATCH');
  });

  it('should read targets of a host without a context path', () => {
    expect(show(canonicalTarget('/rest/api/2/myself?x=1', '/rest/api/2/myself', ''))).to.equal('ok:/rest/api/2/myself');
  });

  it('should compare the /rest/ prefix as routing does (case-insensitively)', () => {
    expect(isRestPath('/rest/api/2/myself')).to.equal(true);
    expect(isRestPath('/REST/api/2/myself')).to.equal(true);
    expect(isRestPath('/restx/api')).to.equal(false);
    expect(isRestPath('/secure/ViewProfile.jspa')).to.equal(false);
    expect(isRestPath('/rest')).to.equal(false);
  });

  it('should put the REST API and the servlet\'s JSON endpoints, not its pages, under the password setting', () => {
    expect(isPasswordRulePath('/rest/api/2/myself')).to.equal(true);
    expect(isPasswordRulePath('/plugins/servlet/de.resolution.apitokenauth/users/search')).to.equal(true);
    expect(isPasswordRulePath('/Plugins/Servlet/DE.RESOLUTION.APITOKENAUTH/Users/lookup')).to.equal(true);
    expect(isPasswordRulePath('/plugins/servlet/de.resolution.apitokenauth/users')).to.equal(true);
    expect(isPasswordRulePath('/plugins/servlet/de.resolution.apitokenauth/usersx')).to.equal(false);
    expect(isPasswordRulePath('/plugins/servlet/de.resolution.apitokenauth/admin')).to.equal(false);
    expect(isPasswordRulePath('/plugins/servlet/de.resolution.apitokenauth/static/ui.css')).to.equal(false);
    expect(isPasswordRulePath('/secure/ViewProfile.jspa')).to.equal(false);
  });

  it('should name the servlet as the plugin descriptor mounts it', () => {
    const descriptor = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../atlassian-plugin.json'), 'utf8')) as { modules: Array<{ type: string; urlPattern?: string }> };
    const servlets = descriptor.modules.filter((m) => m.type === 'servlet').map((m) => m.urlPattern);
    expect(servlets).to.deep.equal([SERVLET_URL_PATTERN]);
  });
});
