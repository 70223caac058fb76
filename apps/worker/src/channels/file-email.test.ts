import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { FileEmailChannel } from './file-email';

describe('file email channel (development)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fascia-mail-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes each message as an .eml file and returns its Message-ID', async () => {
    const channel = new FileEmailChannel(path.join(dir, 'mail'), 'Fascia <no-reply@fascia.localhost>', pino({ level: 'silent' }));
    const { providerRef } = await channel.send({ channel: 'EMAIL', to: 'rosa@staff.test', subject: 'Hello', text: 'Body', html: '<p>Body</p>' });
    const files = await readdir(path.join(dir, 'mail'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const raw = await readFile(path.join(dir, 'mail', files[0]), 'utf8');
    expect(raw).toContain('To: rosa@staff.test');
    expect(raw).toContain('Subject: Hello');
    expect(raw).toContain(`Message-ID: ${providerRef}`);
    await channel.close();
  });
});
