// GET /status under the context path, as Jira and Confluence answer it to load balancers:
// 200 {"state":"RUNNING"}, or 503 {"state":"ERROR"} while the database cannot be reached or the
// node has fallen behind the cluster's change log (its caches may miss other nodes' changes, so a
// load balancer should send its requests elsewhere).
// Mounted before the database gate, the plugin filters and the host login: it needs no
// authentication and no token filter ever answers it. While the node starts or stops, the
// server answers 503 {"state":"STARTING"|"STOPPING"} (host-sim/server.ts).
import type { RequestHandler } from 'express';
import type { ClusterMessagingService } from '../spi/ClusterMessagingService';
import type { DatabaseHealth } from '../impl/HostRuntime';

export type NodeState = 'STARTING' | 'RUNNING' | 'ERROR' | 'STOPPING';

/** The body of a /status answer. */
export function statusBody(state: NodeState): string {
  return JSON.stringify({ state });
}

export function statusResource(db: DatabaseHealth, cluster: Pick<ClusterMessagingService, 'isCurrent'>): RequestHandler {
  return (_req, res) => {
    const state: NodeState = db.isAvailable() && cluster.isCurrent() ? 'RUNNING' : 'ERROR';
    res.status(state === 'RUNNING' ? 200 : 503)
      .set('Content-Type', 'application/json;charset=UTF-8')
      .set('Cache-Control', 'no-store')
      .send(statusBody(state));
  };
}
