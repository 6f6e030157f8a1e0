import { expect } from 'chai';
import { updateManyParams } from '../../../host-sim/impl/ao/DefaultActiveObjects';

describe('updateManyParams', () => {
  const rows = [[7, 100, '10.0.0.1', 1], [9, 200, null, 2]];

  it('should bind the rows in order and then, except on MySQL, their ids again', () => {
    expect(updateManyParams('sqlite', rows, 4)).to.deep.equal([7, 100, '10.0.0.1', 1, 9, 200, null, 2, 7, 9]);
    expect(updateManyParams('postgres', rows, 4)).to.deep.equal([7, 100, '10.0.0.1', 1, 9, 200, null, 2, 7, 9]);
    expect(updateManyParams('mysql', rows, 4)).to.deep.equal([7, 100, '10.0.0.1', 1, 9, 200, null, 2]);
  });

  it('should refuse a row of another width', () => {
    expect(() => updateManyParams('sqlite', [[7, 100, '10.0.0.1', 1], [9, 200]], 4)).to.throw(Error, /expected 4/);
    expect(() => updateManyParams('mysql', [[7, 100, '10.0.0.1', 1, 5]], 4)).to.throw(Error, /expected 4/);
  });
});
