import { loadConfig } from './config';

describe('API configuration: DATABASE_POOL_SIZE', () => {
  const env = { DATABASE_URL: 'postgres://fascia@localhost/fascia' };

  it('defaults to 10 connections and takes 2 to 200', () => {
    expect(loadConfig(env).databasePoolSize).toBe(10);
    expect(loadConfig({ ...env, DATABASE_POOL_SIZE: '40' }).databasePoolSize).toBe(40);
  });

  it('refuses a size outside 2–200, naming the variable', () => {
    for (const bad of ['1', '201', 'many']) {
      expect(() => loadConfig({ ...env, DATABASE_POOL_SIZE: bad })).toThrow(/DATABASE_POOL_SIZE/);
    }
  });
});
