// A plugin property whose name the plugin does not know is logged at activation, so that a
// typo does not leave, say, secure mode off unnoticed. The check compared the namespace in its
// exact case: `APITOKENAUTH.SECURE.MODE=true` or `ApiTokenAuth.secure.mode=true` (a property
// file's keys are case-sensitive) left secure mode off without a line (secure-defaults review,
// 2026-12-05). The namespace is now recognised in any case.
import { expect } from 'chai';
import { createActivate } from '../../../plugin';
import { unknownPluginProperties } from '../../../plugin/config/PluginProperties';
import { createFakeHost } from '../../support/spi-fakes';

describe('Plugin properties in another case', () => {
  it('should report a name of its namespace in any case as unknown', () => {
    expect(unknownPluginProperties({
      'APITOKENAUTH.SECURE.MODE': 'true', 'ApiTokenAuth.secure.mode': 'true', 'apitokenauth.secure.mode': 'false', 'hostsim.websudo.disabled': 'false',
    })).to.deep.equal(['APITOKENAUTH.SECURE.MODE', 'ApiTokenAuth.secure.mode']);
  });

  it('should log it once at activation, naming the property it meant', async () => {
    const host = await createFakeHost({ systemProperties: { 'APITOKENAUTH.SECURE.MODE': 'true' } });
    try {
      const plugin = await createActivate({ auditFlushIntervalMs: 50 })(host.context);
      await plugin.deactivate();
      const warnings = host.logLines.filter((line) => line.startsWith('warn ') && line.includes('APITOKENAUTH.SECURE.MODE'));
      expect(warnings, host.logLines.join('\n')).to.have.length(1);
      expect(warnings[0]).to.include('apitokenauth.secure.mode');
    } finally {
      await host.close();
    }
  });
});
