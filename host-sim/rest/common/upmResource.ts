// UPM: `/rest/plugins/1.0/{pluginKey}-key` — read and switch a plugin's enabled state at run time.
import express, { type Request, type Router } from 'express';
import type { AuditEvent } from '../../spi';
import type { HostRuntime } from '../../impl/HostRuntime';
import type { PluginLoader } from '../../loader/PluginLoader';
import type { PluginDescriptor } from '../../loader/PluginDescriptor';
import { requireSysAdmin, requireWebSudoWindow } from '../../auth/guards';
import { notFound } from '../HttpError';
import { readBody } from '../dto/readDto';
import { PluginStateBody } from './commonDtos';

export function upmResource(runtime: HostRuntime, loader: PluginLoader): Router {
  const router = express.Router();
  const { config } = runtime;

  const render = (d: PluginDescriptor): Record<string, unknown> => {
    const self = `${config.contextPath}/rest/plugins/1.0/${d.key}-key`;
    return {
      key: d.key,
      name: d.name,
      version: d.version,
      description: d.description,
      vendor: { name: d.vendorName },
      enabled: runtime.pluginStates.isEnabled(d.key),
      active: loader.isActive(d.key),
      userInstalled: true,
      optional: true,
      unrecognisedModuleTypes: false,
      licenseState: runtime.licenses.getState(d.key),
      modules: d.modules.map((m) => ({ key: m.key, completeKey: `${d.key}:${m.key}`, type: m.type, enabled: loader.isActive(d.key) })),
      links: { self, modify: self, 'plugin-summary': self },
    };
  };

  const find = (pluginKey: string): PluginDescriptor => {
    const descriptor = loader.descriptor(pluginKey);
    if (!descriptor) throw notFound('hostsim.plugin.notFound', pluginKey);
    return descriptor;
  };

  // UPM is administration: a system admin's session needs its websudo window, reading included
  // (switching this plugin off ends every rule it enforces).
  const guard = async (req: Request): Promise<void> => {
    await requireSysAdmin(runtime, req);
    requireWebSudoWindow(runtime, req);
  };

  router.get('/:pluginKey-key', async (req, res) => {
    await guard(req);
    res.json(render(find(req.params.pluginKey)));
  });

  router.put('/:pluginKey-key', async (req, res) => {
    await guard(req);
    const descriptor = find(req.params.pluginKey);
    const { enabled } = readBody(req, PluginStateBody);
    const changed = runtime.pluginStates.isEnabled(descriptor.key) !== enabled;
    await loader.setEnabled(descriptor.key, enabled);
    // As Jira's UPM does: switching a plugin off ends whatever it enforces (this one's token
    // rules, password Basic off), which must not leave the audit log silent.
    if (changed) await auditStateChange(runtime, req, descriptor, enabled);
    res.json(render(descriptor));
  });

  return router;
}

/** The change stands once stored: an audit log that cannot be written is logged, not answered. */
async function auditStateChange(runtime: HostRuntime, req: Request, descriptor: PluginDescriptor, enabled: boolean): Promise<void> {
  const author = req.principal?.user;
  const event: AuditEvent = {
    action: enabled ? 'plugin.enabled' : 'plugin.disabled', summary: enabled ? 'App enabled' : 'App disabled', category: 'Apps',
    author: author ? { key: author.key, name: author.name } : null, sourceIp: req.clientIp,
    method: req.principal?.method === 'session' ? 'Browser' : 'REST API',
    affectedObjects: [{ type: 'App', id: descriptor.key, name: descriptor.name }],
  };
  try {
    await runtime.audit.record(event);
  } catch (err) {
    runtime.logger.error('Could not write the audit event of a plugin state change', { pluginKey: descriptor.key, enabled, error: String(err) });
  }
}
