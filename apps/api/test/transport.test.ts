import { request } from 'node:http';
import { startTestApi, codeOf, type TestApi } from './harness';

/** A POST whose body is sent in chunks without a content-length (chunked transfer encoding). */
function postChunked(url: string, chunks: number, chunkBytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(chunkBytes, 'a');
    let sent = 0;
    const writeMore = (): void => {
      while (sent < chunks) {
        sent++;
        if (!req.write(chunk)) {
          req.once('drain', writeMore);
          return;
        }
      }
      req.end();
    };
    writeMore();
  });
}

describe('transport hygiene (production mode)', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ nodeEnv: 'production' });
  });
  afterAll(() => t.stop());

  it('answers a body over 1 MB with 413 and a GraphQL-shaped error the client receives', async () => {
    const query = `{ __typename }`;
    const body = JSON.stringify({ query, variables: { pad: 'x'.repeat(1_500_000) } });
    const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    const json = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(json.errors[0].message).toMatch(/1 MB/);
    // The server goes on serving.
    const after = await t.gql(`{ __typename }`);
    expect(after.data).toEqual({ __typename: 'Query' });
  });

  it('answers a chunked body over 1 MB (no content-length) with 413 too', async () => {
    const res = await postChunked(t.url, 40, 64 * 1024);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('serves no landing page in production', async () => {
    const res = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    const text = await res.text();
    expect(res.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(text).not.toMatch(/<!doctype|<html|embeddable-sandbox|embedded-explorer/i);
  });

  it('counts aliases of __typename against the alias limit', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(' ');
    const res = await t.gql(`{ ${aliases} }`);
    expect(res.data ?? null).toBeNull();
    expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    // 15 are still fine.
    const ok = await t.gql(`{ ${Array.from({ length: 15 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
    expect(ok.errors).toBeUndefined();
  });
});
