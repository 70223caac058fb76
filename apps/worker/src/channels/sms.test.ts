import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { PermanentDeliveryError } from './channel';
import { FakeSmsProvider, FileSmsProvider, SmsChannel, normalisePhone } from './sms';

describe('SMS channel', () => {
  it.each([
    ['+44 20 7946 0018', '+442079460018'],
    ['+1 (212) 555-0123', '+12125550123'],
    ['020 7946 0018', null],
    ['+0123456789', null],
    ['call me', null],
  ])('normalises %s → %s', (raw, expected) => {
    expect(normalisePhone(raw)).toBe(expected);
  });

  it('sends through its provider, refuses a number that is not E.164 for good, and cuts long texts', async () => {
    const provider = new FakeSmsProvider();
    const sms = new SmsChannel(provider);
    expect(sms.name).toBe('sms:fake');
    await expect(sms.send({ channel: 'SMS', to: '+44 7700 900123', text: 'Hi' })).resolves.toEqual({ providerRef: 'fake-1' });
    await expect(sms.send({ channel: 'SMS', to: '07700 900123', text: 'Hi' })).rejects.toBeInstanceOf(PermanentDeliveryError);
    await sms.send({ channel: 'SMS', to: '+447700900124', text: 'x'.repeat(1000) });
    expect(provider.sent[1].text).toHaveLength(459);
  });

  it('the fake provider refuses …0000 for good and fails …9999 once', async () => {
    const sms = new SmsChannel(new FakeSmsProvider());
    await expect(sms.send({ channel: 'SMS', to: '+447700900000', text: 'Hi' })).rejects.toBeInstanceOf(PermanentDeliveryError);
    await expect(sms.send({ channel: 'SMS', to: '+447700909999', text: 'Hi' })).rejects.toThrow('provider timeout');
    await expect(sms.send({ channel: 'SMS', to: '+447700909999', text: 'Hi' })).resolves.toMatchObject({ providerRef: expect.any(String) });
  });

  it('the file provider appends one JSON line per text', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fascia-sms-'));
    const sms = new SmsChannel(new FileSmsProvider(dir, pino({ level: 'silent' })));
    const { providerRef } = await sms.send({ channel: 'SMS', to: '+442079460018', text: 'Reminder' });
    const lines = (await readFile(path.join(dir, 'sms.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines).toEqual([expect.objectContaining({ to: '+442079460018', text: 'Reminder', providerRef })]);
  });
});
