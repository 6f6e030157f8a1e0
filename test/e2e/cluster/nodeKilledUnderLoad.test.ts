// docs/data-center.md: a node that dies (SIGKILL, no shutdown hook) in the middle of a load loses at most
// its unflushed last-access times: the other nodes keep serving, and the database stays
// consistent (the token list is intact, creating a token on a surviving node works).
import { expect } from 'chai';
import { useCluster, type ClusterNode } from '../../support/cluster';
import { createToken, createUser, expectTokenStatus, listTokens, myself, waitForTokenApi } from './support/clusterApi';
import { forEachServerDatabase } from '../../support/databases';

interface LoadResult { ok: number; statuses: Record<string, number>; errors: number }

/** Token requests against `node` in `parallel` loops until `stop()`; counts statuses and connection errors. */
function load(node: ClusterNode, tokens: readonly string[], parallel: number): { stop: () => Promise<LoadResult> } {
  const result: LoadResult = { ok: 0, statuses: {}, errors: 0 };
  let running = true;
  const loop = async (i: number): Promise<void> => {
    for (let n = i; running; n++) {
      try {
        const status = (await myself(node, tokens[n % tokens.length])).status;
        if (status === 200) result.ok++;
        else result.statuses[status] = (result.statuses[status] ?? 0) + 1;
      } catch {
        result.errors++;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  };
  const loops = Array.from({ length: parallel }, (_, i) => loop(i));
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return result;
    },
  };
}

forEachServerDatabase('Cluster node killed under load', function (db) {
  this.timeout(60_000);
  const cluster = useCluster({ db, nodes: 3, product: 'jira' });

  before(async () => {
    await waitForTokenApi(cluster().nodes[0]);
  });

  it('should keep the surviving nodes serving and the database consistent when a node is SIGKILLed mid-load', async () => {
    const [a, b, c] = cluster().nodes;
    const rosa = await createUser(a, 'rosa');
    const auth = [rosa.name, rosa.password] as const;
    const tokens = [await createToken(a, auth), await createToken(b, auth), await createToken(c, auth)];
    const secrets = tokens.map((t) => t.plainTextToken);
    const before = (await listTokens(a, auth)).map((t) => t.id).sort();

    const onVictim = load(b, secrets, 4);
    const onSurvivors = [load(a, secrets, 2), load(c, secrets, 2)];
    await new Promise((resolve) => setTimeout(resolve, 500));
    b.kill('SIGKILL');
    expect(await b.waitForExit()).to.equal('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 700));
    const victim = await onVictim.stop();
    const survivors = await Promise.all(onSurvivors.map((l) => l.stop()));

    expect(victim.ok, 'node2 served before it was killed').to.be.greaterThan(0);
    for (const [i, s] of survivors.entries()) {
      expect(s.errors, `survivor ${i}: connection errors`).to.equal(0);
      expect(s.statuses, `survivor ${i}: non-200 answers`).to.deep.equal({});
      expect(s.ok, `survivor ${i}: answers`).to.be.greaterThan(0);
    }

    expect((await listTokens(c, auth)).map((t) => t.id).sort()).to.deep.equal(before);
    const fresh = await createToken(c, auth);
    await expectTokenStatus(a, fresh.plainTextToken, 200, 0);
    for (const secret of secrets) await expectTokenStatus(a, secret, 200, 0);
    expect((await listTokens(a, auth)).map((t) => t.id).sort()).to.deep.equal([...before, fresh.id].sort());
  });
});
