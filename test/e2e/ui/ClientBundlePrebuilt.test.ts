// The page scripts `npm install` / `npm run build` bundle into dist/ui: a starting plugin serves
// them when every source still matches, and bundles in memory otherwise (never a stale file).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import {
  buildClientBundle, type ClientBundle, loadOrBuildClientBundle, loadPrebuiltBundle, MANIFEST_FILE, writePrebuiltBundle,
} from '../../../plugin/ui/ClientBundle';

describe('ClientBundle prebuilt files', () => {
  let built: ClientBundle;
  let dir: string;

  before(async function () {
    this.timeout(60000);
    built = await buildClientBundle();
  });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ata-ui-'));
    await writePrebuiltBundle(built, dir);
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function editManifest(edit: (m: Record<string, unknown>) => void): void {
    const file = path.join(dir, MANIFEST_FILE);
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(manifest);
    fs.writeFileSync(file, JSON.stringify(manifest));
  }

  it('should serve the files written, byte for byte with the same ETags, without bundling again', async () => {
    const loaded = await loadOrBuildClientBundle(dir);
    expect(loaded.origin).to.equal('prebuilt');
    expect([...loaded.bundle.files.keys()].sort()).to.deep.equal([...built.files.keys()].sort());
    for (const [name, file] of built.files) {
      const served = loaded.bundle.files.get(name)!;
      expect(served.contents.equals(file.contents), name).to.equal(true);
      expect(served.etag).to.equal(file.etag);
      expect(served.contentType).to.equal(file.contentType);
    }
    expect(loaded.bundle.inputs).to.deep.equal(built.inputs);
  });

  it('should record every bundled source and tsconfig.json in the manifest', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as { sources: Record<string, string> };
    expect(Object.keys(manifest.sources)).to.include.members(['plugin/ui/client/profile.ts', 'plugin/ui/shared/messageFormat.ts', 'tsconfig.json']);
    for (const source of Object.values(built.inputs).flat()) expect(manifest.sources).to.have.property(source);
  });

  it('should bundle again when a source changed since the files were written', async () => {
    editManifest((m) => { (m.sources as Record<string, string>)['plugin/ui/client/profile.ts'] = 'not-the-hash-of-the-file'; });
    expect(await loadPrebuiltBundle(dir)).to.deep.equal({ ok: false, rejection: 'SOURCE_CHANGED' });
    const loaded = await loadOrBuildClientBundle(dir);
    expect(loaded.origin).to.equal('bundled');
    expect(loaded.rejection).to.equal('SOURCE_CHANGED');
    expect(loaded.bundle.files.get('profile.js')!.etag).to.equal(built.files.get('profile.js')!.etag);
  }).timeout(60000);

  it('should not use the files when a recorded source is gone', async () => {
    editManifest((m) => { (m.sources as Record<string, string>)['plugin/ui/client/removed.ts'] = 'x'; });
    expect(await loadPrebuiltBundle(dir)).to.deep.equal({ ok: false, rejection: 'SOURCE_CHANGED' });
  });

  it('should not use files made by another esbuild version or other options', async () => {
    editManifest((m) => { m.recipe = JSON.stringify({ esbuild: '0.0.1', minify: true }); });
    expect(await loadPrebuiltBundle(dir)).to.deep.equal({ ok: false, rejection: 'OTHER_RECIPE' });
    fs.rmSync(dir, { recursive: true });
    await writePrebuiltBundle(built, dir);
    expect(await loadPrebuiltBundle(dir, { minify: false })).to.deep.equal({ ok: false, rejection: 'OTHER_RECIPE' });
  });

  it('should say MISSING for a folder without a manifest, and UNREADABLE for a broken one or a missing file', async () => {
    expect(await loadPrebuiltBundle(path.join(dir, 'nothing-here'))).to.deep.equal({ ok: false, rejection: 'MISSING' });
    fs.rmSync(path.join(dir, 'admin.js'));
    expect(await loadPrebuiltBundle(dir)).to.deep.equal({ ok: false, rejection: 'UNREADABLE' });
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), '{"recipe":');
    expect(await loadPrebuiltBundle(dir)).to.deep.equal({ ok: false, rejection: 'UNREADABLE' });
  });

  it('should never read a file outside its folder, whatever the manifest names', async () => {
    for (const name of ['../package.json', '/etc/passwd', '.hidden', '']) {
      editManifest((m) => { m.files = ['profile.js', name]; });
      expect(await loadPrebuiltBundle(dir), name).to.deep.equal({ ok: false, rejection: 'UNREADABLE' });
    }
  });
});
