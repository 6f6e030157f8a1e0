import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { buildSnippets, shellQuote, TOKEN_PLACEHOLDER, USER_PLACEHOLDER, type SnippetInput } from '../../../plugin/snippets/CodeSnippets';

const BASE: SnippetInput = { product: 'jira', baseUrl: 'http://127.0.0.1:2990/jira', authSchemes: 'both', userName: 'alice', userless: false };

describe('CodeSnippets', () => {
  it('should quote any string so that sh reads it back unchanged', () => {
    for (const value of ["it's", "a'b'c", '$(rm -rf /) `x` "q" \\ ; & | * ?', '', 'ünï ☃ \n new line']) {
      expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(value)}`], { encoding: 'utf8' })).to.equal(value);
    }
  });

  it('should give curl and fetch per allowed scheme', () => {
    expect(buildSnippets(BASE).map((s) => s.id)).to.deep.equal(['curl-basic', 'js-basic', 'curl-bearer', 'js-bearer']);
    expect(buildSnippets({ ...BASE, authSchemes: 'basic' }).map((s) => s.id)).to.deep.equal(['curl-basic', 'js-basic']);
    expect(buildSnippets({ ...BASE, authSchemes: 'bearer' }).map((s) => s.id)).to.deep.equal(['curl-bearer', 'js-bearer']);
  });

  it('should use placeholders unless the plain token is given', () => {
    const withPlaceholder = buildSnippets(BASE);
    expect(withPlaceholder.every((s) => s.code.includes(TOKEN_PLACEHOLDER))).to.equal(true);
    const withToken = buildSnippets({ ...BASE, plainToken: 'apitok_secret' });
    expect(withToken.every((s) => s.code.includes('apitok_secret') && !s.code.includes(TOKEN_PLACEHOLDER))).to.equal(true);
  });

  it('should give user-less tokens Basic snippets only, with a user placeholder', () => {
    const snippets = buildSnippets({ ...BASE, userless: true, userName: null });
    expect(snippets.map((s) => s.scheme)).to.deep.equal(['basic', 'basic']);
    expect(snippets[0].code).to.include(`${USER_PLACEHOLDER}:${TOKEN_PLACEHOLDER}`);
    expect(buildSnippets({ ...BASE, userless: true, userName: null, authSchemes: 'bearer' })).to.deep.equal([]);
  });

  it('should call the product\'s own-user endpoint under the base URL', () => {
    expect(buildSnippets(BASE)[0].code).to.include("'http://127.0.0.1:2990/jira/rest/api/2/myself'");
    expect(buildSnippets({ ...BASE, product: 'confluence', baseUrl: 'http://h/confluence/' })[0].code).to.include("'http://h/confluence/rest/api/user/current'");
  });

  it('should escape user names with quotes in both languages', () => {
    const [curl, js] = buildSnippets({ ...BASE, userName: "o'brien\"x" });
    expect(curl.code).to.include(`-u 'o'\\''brien"x:<your-token>'`);
    expect(js.code).to.include(JSON.stringify("o'brien\"x:<your-token>"));
  });
});
