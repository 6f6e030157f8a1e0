/** One object an audit event is about, e.g. `{type: 'API token', id: '42', name: 'CI token'}`. */
export interface AuditAffectedObject {
  readonly type: string;
  readonly id: string;
  readonly name: string;
}

/** One changed value, as Jira's audit log shows "changed values". */
export interface AuditChangedValue {
  readonly key: string;
  readonly from: string;
  readonly to: string;
}

/** An event for the host's audit log (Jira/Confluence "Advanced auditing"). */
export interface AuditEvent {
  /** Machine-readable action, e.g. `token.created`. */
  readonly action: string;
  /** Human-readable summary (English), e.g. `API token created`. */
  readonly summary: string;
  /** Category shown in the audit log, e.g. `API tokens`. */
  readonly category: string;
  /** Who did it; null for the system (a job). */
  readonly author: { readonly key: string; readonly name: string } | null;
  readonly affectedObjects?: readonly AuditAffectedObject[];
  readonly changedValues?: readonly AuditChangedValue[];
  readonly sourceIp?: string;
  /** How it was done, e.g. `Browser`, `REST API`, `API token`, `Job`. */
  readonly method?: string;
  /** Anything else worth keeping (string values only). */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Epoch millis; defaults to the host clock. */
  readonly timestamp?: number;
}

/** The host's audit log. Never put a secret into an event. */
export interface AuditService {
  record(event: AuditEvent): Promise<void>;
  /** Writes several events in one round trip (for batched writers). */
  recordAll(events: readonly AuditEvent[]): Promise<void>;
}
