// docs/security.md names the suites that keep each attack and links into the other docs. A suite
// renamed or a heading reworded would leave the map pointing at nothing; these tests catch that.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';

const ROOT = path.resolve(__dirname, '../../..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs/security.md'), 'utf8');

/** Every `e2e/…` or `unit/…` name in the catalogue's table, as written (a `*` matches within a name). */
function suiteNames(): string[] {
  const table = DOC.slice(DOC.indexOf('## Attack catalogue'), DOC.indexOf('## Left to the operator'));
  return [...table.matchAll(/`((?:e2e|unit)\/[^`]+)`/g)].map((m) => m[1]);
}

/** The test files (without `.test.ts`) a catalogue name stands for. */
function filesFor(name: string): string[] {
  const dir = path.join(ROOT, 'test', path.dirname(name));
  if (!fs.existsSync(dir)) return [];
  const pattern = new RegExp(`^${path.basename(name).split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}\\.test\\.ts$`);
  return fs.readdirSync(dir).filter((f) => pattern.test(f));
}

/** GitHub's anchor for a Markdown heading. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

describe('docs/security.md', () => {
  it('should name only suites that exist', () => {
    const names = suiteNames();
    expect(names.length).to.be.greaterThan(30);
    expect(names.filter((n) => filesFor(n).length === 0)).to.deep.equal([]);
  });

  it('should link only to documents and headings that exist', () => {
    const links = [...DOC.matchAll(/\]\(([a-z-]+\.md)(?:#([^)]+))?\)/g)];
    expect(links.length).to.be.greaterThan(10);
    const broken = links.filter(([, file, anchor]) => {
      const target = path.join(ROOT, 'docs', file);
      if (!fs.existsSync(target)) return true;
      if (!anchor) return false;
      const headings = fs.readFileSync(target, 'utf8').split('\n').filter((l) => /^#{1,6} /.test(l)).map((l) => anchorOf(l.replace(/^#+ /, '')));
      return !headings.includes(anchor);
    }).map(([link]) => link);
    expect(broken).to.deep.equal([]);
  });
});
