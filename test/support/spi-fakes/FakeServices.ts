// In-memory fakes of the remaining SPI services for unit tests.
import fs from 'node:fs';
import type { Request } from 'express';
import type {
  AuditEvent, AuditService, Clock, ClusterLock, ClusterLockService, ClusterMessageListener, ClusterMessagingService,
  EventPublisher, HostEvent, HostEventListener, HostEventType, I18nResolver, JobRunner, JobSchedule, LicenseManager,
  LicenseState, MailMessage, MailService, PluginSettings, PluginSettingsDecision, Scheduler, WebSudoManager,
} from '../../../host-sim/spi';
import { ServiceUnavailableError } from '../../../host-sim/spi';

export class FakeClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 15, 12, 0, 0)) {}
  now(): number { return this.current; }
  set(ms: number): void { this.current = ms; }
  advance(ms: number): void { this.current += ms; }
}

export class FakePluginSettings implements PluginSettings {
  readonly values = new Map<string, string>();
  available = true;
  reads = 0;
  private check() { if (!this.available) throw new ServiceUnavailableError(); }
  async get(key: string) { this.check(); this.reads++; return this.values.get(key) ?? null; }
  async getAll() { this.check(); this.reads++; return Object.fromEntries(this.values); }
  async put(key: string, value: string) { this.check(); this.values.set(key, value); }
  async remove(key: string) { this.check(); this.values.delete(key); }
  private queue: Promise<unknown> = Promise.resolve();
  /** One at a time, all or nothing (as the host's transaction). */
  update<T>(decide: (current: Readonly<Record<string, string>>) => Promise<PluginSettingsDecision<T>> | PluginSettingsDecision<T>): Promise<T> {
    const run = this.queue.then(async () => {
      this.check();
      const { writes, result } = await decide(Object.fromEntries(this.values));
      for (const [key, value] of Object.entries(writes)) if (value === null) this.values.delete(key); else this.values.set(key, value);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

export class FakeLicenseManager implements LicenseManager {
  state: LicenseState = 'valid';
  getLicenseState() { return this.state; }
  isLicensed() { return this.state === 'valid'; }
}

/**
 * Websudo as a switch: cookie sessions may run administrative calls while `sessionWindowLive`
 * (default true, as if the password had just been entered); Basic and token requests always may.
 */
export class FakeWebSudoManager implements WebSudoManager {
  sessionWindowLive = true;
  /** How often a protected call extended a session's window. */
  extended = 0;
  canExecuteRequest(req: Request) { return req.principal?.method !== 'session' || this.sessionWindowLive; }
  willExecuteWebSudoRequest(req: Request) { if (req.principal?.method === 'session' && this.sessionWindowLive) this.extended++; }
  passwordPageUrl(destination: string) { return `/jira/secure/admin/WebSudoAuthenticate.jspa?webSudoDestination=${encodeURIComponent(destination)}`; }
}

export class FakeAuditService implements AuditService {
  readonly events: AuditEvent[] = [];
  batches = 0;
  available = true;
  async record(event: AuditEvent) { if (!this.available) throw new ServiceUnavailableError(); this.events.push(event); }
  async recordAll(events: readonly AuditEvent[]) { if (!this.available) throw new ServiceUnavailableError(); this.batches++; this.events.push(...events); }
  actions(): string[] { return this.events.map((e) => e.action); }
}

export class FakeMailService implements MailService {
  readonly sent: MailMessage[] = [];
  /** Set false to play an outbox that cannot take mail (its database unreachable). */
  available = true;
  async send(message: MailMessage) { if (!this.available) throw new ServiceUnavailableError(); this.sent.push(message); }
}

export class FakeScheduler implements Scheduler {
  readonly jobs = new Map<string, { schedule: JobSchedule; runner: JobRunner }>();
  schedule(jobKey: string, schedule: JobSchedule, runner: JobRunner) { this.jobs.set(jobKey, { schedule, runner }); }
  unschedule(jobKey: string) { this.jobs.delete(jobKey); }
  async runNow(jobKey: string) {
    const job = this.jobs.get(jobKey);
    if (!job) return false;
    await job.runner({ jobKey, startedAt: Date.now() });
    return true;
  }
}

export class FakeClusterLockService implements ClusterLockService {
  private readonly held = new Set<string>();
  async tryLock(name: string): Promise<ClusterLock | null> {
    if (this.held.has(name)) return null;
    this.held.add(name);
    return { name, unlock: async () => { this.held.delete(name); } };
  }
  async withLock<T>(name: string, fn: () => Promise<T>) {
    const lock = await this.tryLock(name);
    if (!lock) return { ran: false } as const;
    try { return { ran: true, value: await fn() } as const; } finally { await lock.unlock(); }
  }
}

/** The shared change log of a fake cluster: remote nodes see a message when `deliver()` runs. */
export class FakeClusterNetwork {
  private readonly nodes = new Set<FakeClusterMessagingService>();
  private queue: Array<{ channel: string; payload: string; fromNode: string }> = [];
  join(node: FakeClusterMessagingService) { this.nodes.add(node); }
  post(message: { channel: string; payload: string; fromNode: string }) { this.queue.push(message); }
  /** Delivers every queued message to every node but its sender (what the host's poller does). */
  deliver(): void {
    const pending = this.queue;
    this.queue = [];
    for (const m of pending) for (const node of this.nodes) if (node.nodeId !== m.fromNode) node.receive(m);
  }
}

export class FakeClusterMessagingService implements ClusterMessagingService {
  private readonly listeners = new Map<string, Set<ClusterMessageListener>>();
  private readonly resyncListeners = new Set<() => void>();
  readonly sent: Array<{ channel: string; payload: string }> = [];
  /** What `isCurrent()` answers: set false to play a node that cannot read the change log. */
  current = true;

  constructor(readonly nodeId: string, private readonly network: FakeClusterNetwork = new FakeClusterNetwork()) {
    network.join(this);
  }

  async send(channel: string, payload: string) {
    const message = { channel, payload, fromNode: this.nodeId };
    this.sent.push({ channel, payload });
    this.receive(message);
    this.network.post(message);
  }

  registerListener(channel: string, listener: ClusterMessageListener) {
    let set = this.listeners.get(channel);
    if (!set) { set = new Set(); this.listeners.set(channel, set); }
    set.add(listener);
    return () => { set.delete(listener); };
  }

  receive(message: { channel: string; payload: string; fromNode: string }) {
    for (const l of this.listeners.get(message.channel) ?? []) l(message);
  }

  isCurrent() {
    return this.current;
  }

  registerResyncListener(listener: () => void) {
    this.resyncListeners.add(listener);
    return () => { this.resyncListeners.delete(listener); };
  }

  /** Plays the node reading the change log again after falling behind: current again, resync listeners called. */
  resync(): void {
    this.current = true;
    for (const l of [...this.resyncListeners]) l();
  }
}

export class FakeEventPublisher implements EventPublisher {
  private readonly listeners = new Map<string, Set<(e: HostEvent) => void | Promise<void>>>();
  subscribe<T extends HostEventType>(type: T, listener: HostEventListener<T>) {
    let set = this.listeners.get(type);
    if (!set) { set = new Set(); this.listeners.set(type, set); }
    const l = listener as (e: HostEvent) => void;
    set.add(l);
    return () => { set.delete(l); };
  }
  async publish(event: HostEvent) {
    for (const l of this.listeners.get(event.type) ?? []) await l(event);
  }
}

function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).replace(/\\u([0-9a-fA-F]{4})/g, (_m, h) => String.fromCharCode(parseInt(h, 16)));
  }
  return out;
}

/** An I18nResolver over the plugin's real bundles (`i18n/apitokenauth*.properties`). */
export class FakeI18nResolver implements I18nResolver {
  private readonly bundles: Record<string, Record<string, string>>;

  constructor(base: string) {
    this.bundles = { en: parseProperties(fs.readFileSync(`${base}.properties`, 'utf8')) };
    if (fs.existsSync(`${base}_de.properties`)) this.bundles.de = parseProperties(fs.readFileSync(`${base}_de.properties`, 'utf8'));
  }

  getText(locale: string, key: string, ...args: ReadonlyArray<string | number>): string {
    const pattern = this.bundles[locale]?.[key] ?? this.bundles.en[key];
    if (pattern === undefined) return key;
    return pattern.replace(/\{(\d+)\}/g, (m, n) => (Number(n) < args.length ? String(args[Number(n)]) : m)).replace(/''/g, "'");
  }

  resolveLocale(acceptLanguage: string | undefined, userLocale?: string): string {
    const first = acceptLanguage?.split(',')[0]?.trim().slice(0, 2).toLowerCase();
    if (first && this.bundles[first]) return first;
    const user = userLocale?.slice(0, 2).toLowerCase();
    return user && this.bundles[user] ? user : 'en';
  }

  supportedLocales() { return Object.keys(this.bundles); }
  getBundle(locale: string) { return { ...this.bundles.en, ...this.bundles[locale] }; }
}
