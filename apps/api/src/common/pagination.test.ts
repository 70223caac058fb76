import { decodeCursor, toPage } from './pagination';

const rows = ['a', 'b', 'c'].map((name, i) => ({ id: `0000000${i}-0000-4000-8000-000000000000`, name }));

describe('toPage', () => {
  it('gives the end cursor without building the edges, and each edge its cursor when they are read (once)', () => {
    const sortValue = jest.fn((r: { name: string }) => r.name);
    const page = toPage(rows, 2, 7, sortValue);
    expect(page.nodes.map((n) => n.name)).toEqual(['a', 'b']);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: expect.any(String) });
    expect(decodeCursor(page.pageInfo.endCursor)).toEqual(['b', rows[1].id]);
    expect(page.totalCount).toBe(7);
    expect(sortValue).toHaveBeenCalledTimes(1);
    const edges = page.edges;
    expect(edges.map((e) => decodeCursor(e.cursor))).toEqual([
      ['a', rows[0].id],
      ['b', rows[1].id],
    ]);
    expect(edges.map((e) => e.node)).toEqual(page.nodes);
    expect(edges[1].cursor).toBe(page.pageInfo.endCursor);
    expect(page.edges).toBe(edges);
    expect(sortValue).toHaveBeenCalledTimes(2);
  });

  it('an empty page has no end cursor and no edges; a capped count says so', () => {
    const page = toPage([], 5, { count: 1000, capped: true }, () => 'never');
    expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    expect(page.edges).toEqual([]);
    expect([page.totalCount, page.totalCountCapped]).toEqual([1000, true]);
  });
});
