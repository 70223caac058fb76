import argon2 from 'argon2';

/** OWASP's argon2id parameters (memory 19 MiB, 2 passes, 1 lane). */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/** Spends the same time as a real check when no user matched, so timing does not reveal which emails exist. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('fascia-timing-equaliser');
  await verifyPassword(await dummy, password);
}
