// TokenUpgradeTask002 (the SUDO column) and the store's sudo flag, on SQLite, MariaDB and PostgreSQL.
import { expect } from 'chai';
import { upgradeTasks } from '../../../ao-schema/apitokenauth';
import { upperSnake } from '../../../host-sim/impl/ao/aoNaming';
import type { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { generateStringId, generateToken } from '../../../plugin/token/TokenFormat';
import { hashSecret, newSalt } from '../../../plugin/token/SecretHasher';
import { dialectOf, forEachDatabase } from '../../support/databases';
import { useMigrationDatabase } from '../../support/migrationDatabase';
import { useAoTokenStore } from './support/aoTokenStore';

const TABLE = 'AO_TEST02_TOKEN';

forEachDatabase('TokenUpgradeTask002 (sudo flag)', (kind) => {
  const m = useMigrationDatabase(kind);

  const tasks = () => upgradeTasks({ dialect: dialectOf(kind), tableName: (entity) => `AO_TEST02_${upperSnake(entity)}` });
  // AO's names quoted: on PostgreSQL they are upper case only quoted.
  const q = (names: string) => names.split(', ').map((n) => m.ds.driver.escape(n)).join(', ');
  const insert = (publicId: string, extra = '', value = '') => m.runner.query(
    `INSERT INTO ${q(TABLE)} (${q(`PUBLIC_ID, STRING_ID, USER_KEY, DESCRIPTION, CREATED, CREATED_BY, VALID_UNTIL, SALT, HASH${extra}`)}) `
    + `VALUES ('${publicId}', 's${publicId}', 'u', 'd', 1, 'u', 2, 'aa', 'bb'${value})`);

  it('should add SUDO = 0 to existing rows, accept 1, and drop the column again on the way down', async () => {
    const [first, second] = tasks();
    expect(second.name).to.match(/^TokenUpgradeTask002AOTEST02TOKEN\d{13}$/);
    expect(Number(String(second.name).slice(-13))).to.be.greaterThan(Number(String(first.name).slice(-13)));
    await first.up(m.runner);
    await insert('old');
    await second.up(m.runner);
    await insert('new', ', SUDO', kind === 'postgres' ? ', TRUE' : ', 1');
    const rows = await m.runner.query(`SELECT ${q('PUBLIC_ID, SUDO')} FROM ${q(TABLE)} ORDER BY ${q('ID')}`) as Array<{ PUBLIC_ID: string; SUDO: number | boolean }>;
    expect(rows.map((r) => [r.PUBLIC_ID, Number(r.SUDO)])).to.deep.equal([['old', 0], ['new', 1]]);
    const column = (await m.runner.getTable(TABLE))?.columns.find((c) => c.name === 'SUDO');
    expect(column?.isNullable).to.equal(false);
    await second.down(m.runner);
    expect((await m.runner.getTable(TABLE))?.columns.map((c) => c.name)).not.to.include('SUDO');
    const [count] = await m.runner.query(`SELECT COUNT(*) AS ${q('N')} FROM ${q(TABLE)}`) as Array<{ N: number | string }>;
    expect(Number(count.N)).to.equal(2);
    await second.up(m.runner);
    await first.down(m.runner);
    expect(await m.runner.hasTable(TABLE)).to.equal(false);
  });
});

forEachDatabase('AoTokenStore sudo flag', (kind) => {
  const suite = useAoTokenStore(kind, 'aosudo-');
  let store: AoTokenStore;
  before(() => { ({ store } = suite); });

  const insert = async (sudo: boolean | undefined) => {
    const g = generateToken();
    const salt = newSalt();
    const inserted = await store.insert({ publicId: g.publicId, stringId: generateStringId(), userKey: 'admin', description: 'd', created: 1, createdBy: 'admin',
      validUntil: 5000, scope: 2, salt, hash: hashSecret(salt, g.publicId, g.secret), restrictions: null, ...(sudo === undefined ? {} : { sudo }) }, 100);
    if (!inserted.ok) throw new Error('insert');
    return { token: inserted.token, publicId: g.publicId };
  };

  it('should store the sudo flag and show it on the token and on the credential', async () => {
    const sudo = await insert(true);
    const plain = await insert(false);
    const unset = await insert(undefined);
    expect(sudo.token.sudo).to.equal(true);
    expect((await store.get(sudo.token.id))?.sudo).to.equal(true);
    expect((await store.findCredential(sudo.publicId))?.sudo).to.equal(true);
    for (const t of [plain, unset]) {
      expect((await store.get(t.token.id))?.sudo).to.equal(false);
      expect((await store.findCredential(t.publicId))?.sudo).to.equal(false);
    }
    expect((await store.findByFilter({ userKeys: ['admin'] }, 0, 10)).tokens.map((t) => t.sudo)).to.have.members([true, false, false]);
  });
});
