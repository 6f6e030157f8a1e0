// docs/api.md "Error codes" is the list a script author matches answers against. It must name
// exactly the plugin's error codes, each with its status, and every code must be one the plugin
// can answer: a code left in the closed union after its cause was removed (issue 11 ended the
// CAPTCHA refusal of tokens, issue 12 the licence refusal of token management) is documented as
// an answer nobody ever gets.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ERROR_CODES, type ErrorCode } from '../../../plugin/errors/ErrorCode';
import { tsFilesUnder } from '../../support/sourceFiles';

const ROOT = path.resolve(__dirname, '../../..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs/api.md'), 'utf8');

/** Code → status as the section writes them: "`A`, `B` (400); `C` (401); …". */
function documented(): Map<string, number> {
  const start = DOC.indexOf('## Error codes');
  const section = DOC.slice(start, DOC.indexOf('\n#', start + 1));
  const codes = new Map<string, number>();
  for (const group of section.matchAll(/((?:`[A-Z][A-Z0-9_]*`[,\s]*)+)\((\d{3})/g)) {
    for (const code of group[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)) codes.set(code[1], Number(group[2]));
  }
  return codes;
}

describe('docs/api.md "Error codes"', () => {
  it('should list exactly the plugin\'s error codes, each with its status', () => {
    const doc = documented();
    const code = Object.fromEntries(Object.entries(ERROR_CODES));
    expect([...doc.keys()].filter((c) => !(c in code)), 'documented, not in ErrorCode.ts').to.deep.equal([]);
    expect(Object.keys(code).filter((c) => !doc.has(c)), 'in ErrorCode.ts, not documented').to.deep.equal([]);
    expect([...doc].filter(([c, status]) => code[c] !== status).map(([c, status]) => `${c} ${status}≠${code[c]}`)).to.deep.equal([]);
  });

  it('should hold only codes the plugin answers with', () => {
    const text = tsFilesUnder(path.join(ROOT, 'plugin')).filter((f) => !f.endsWith(path.join('errors', 'ErrorCode.ts')))
      .map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const unused = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => !new RegExp(`\\b${c}\\b`).test(text));
    expect(unused).to.deep.equal([]);
  });
});
