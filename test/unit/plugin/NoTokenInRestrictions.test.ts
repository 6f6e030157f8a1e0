// Restrictions (and the IP allowlist merged into them) are stored and shown to administrators,
// managers, in token lists and audit events: a token typed into a rule would be written down in
// full. The create and edit bodies refuse it (field error `restrictionsToken`), wherever in the
// value it is: a URL or condition pattern, a parameter, header or JSON node name, a text line,
// JSON inside a string. A token named by its public id alone stays allowed.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { CreateTokenBody, UpdateTokenBody } from '../../../plugin/rest/dto/TokenBodies';
import { generateToken } from '../../../plugin/token/TokenFormat';
import { checkDto } from '../../../plugin/validation/checkDto';

const I18N = path.resolve(__dirname, '..', '..', '..', 'i18n');
const { plainText: token, publicId } = generateToken();

/** Restrictions values that hold `t` somewhere. */
function holding(t: string): Record<string, unknown> {
  return {
    'URL pattern (text)': `[GET].*/rest/api/2/issue/${t}`,
    'query parameter pattern (text)': `[GET].*/rest/api/2/search[QueryParam::token==${t}]`,
    'header name (text)': `.*/rest/api/2/myself[Header::${t}==.*]`,
    'JSON node (text)': `[POST].*/rest/api/2/issue[JsonData::fields.${t}==x]`,
    'second line of a text block': `[GET].*/rest/api/2/myself\n[GET].*/rest/api/2/issue/${t}`,
    'IP allowlist line': `[GET].*/rest/api/2/myself\n[IpAllowlist::fe80::1%${t}]`,
    'list of lines': ['[GET].*/rest/api/2/myself', `.*${t}.*`],
    'rule object URL pattern': { rules: [{ method: 'GET', urlPattern: `.*/${t}` }] },
    'rule object condition list': { rules: [{ urlPattern: '.*', queryParams: [{ name: 'x', pattern: t }] }] },
    'rule object condition key': { rules: [{ urlPattern: '.*', headers: { [t]: '.*' } }] },
    'rules as text in an object': { rules: `.*/rest/api/2/issue/${t}` },
    'ipAllowlist inside restrictions': { rules: [], ipAllowlist: [`fe80::1%${t}`] },
    'JSON inside a string': JSON.stringify({ rules: [{ urlPattern: `.*${t}` }] }),
    'upper case': `.*/rest/api/2/issue/${t.toUpperCase()}`,
    'token without its checksum': `.*/rest/api/2/issue/${t.slice(0, 48)}`,
    'deeply nested': [...Array(500)].reduce((inner: unknown) => [inner], [`.*${t}`]),
  };
}

function errorsOf(dto: typeof CreateTokenBody | typeof UpdateTokenBody, body: Record<string, unknown>): Record<string, unknown> {
  return { ...checkDto(dto, body, { unknown: 'refuse' }).errors };
}

describe('NoTokenInRestrictions', () => {
  for (const [dto, name] of [[CreateTokenBody, 'create'], [UpdateTokenBody, 'update']] as const) {
    it(`should refuse a token anywhere in the restrictions of a ${name} with restrictionsToken`, () => {
      for (const [where, restrictions] of Object.entries(holding(token))) {
        expect(errorsOf(dto, { restrictions }), where).to.deep.equal({ restrictions: { key: 'restrictionsToken', args: [] } });
      }
    });

    it(`should refuse a token in the ipAllowlist of a ${name} with restrictionsToken`, () => {
      for (const ipAllowlist of [[`fe80::1%${token}`], ['10.0.0.0/8', token], `10.0.0.1, ${token}`]) {
        expect(errorsOf(dto, { ipAllowlist })).to.deep.equal({ ipAllowlist: { key: 'restrictionsToken', args: [] } });
      }
    });

    it(`should take restrictions that name a token by its public id only in a ${name}`, () => {
      for (const restrictions of [
        `[GET].*/rest/api/2/search[QueryParam::ref==apitok_${publicId}_.*]`,
        { rules: [{ urlPattern: `.*/apitok_${publicId}_…` }] },
        '[GET].*/rest/api/2/myself',
      ]) {
        expect(errorsOf(dto, { restrictions, ipAllowlist: ['192.0.2.0/24'] }), String(restrictions)).to.deep.equal({});
      }
    });
  }

  it('should still take null as the removal of restrictions in an update', () => {
    expect(errorsOf(UpdateTokenBody, { restrictions: null, ipAllowlist: null })).to.deep.equal({});
  });

  it('should have an English and a German message for restrictionsToken', () => {
    for (const file of ['apitokenauth.properties', 'apitokenauth_de.properties']) {
      const lines = fs.readFileSync(path.join(I18N, file), 'utf8').split(/\r?\n/);
      expect(lines.some((l) => /^apitokenauth\.validation\.restrictionsToken=\S/.test(l)), file).to.equal(true);
    }
  });
});
