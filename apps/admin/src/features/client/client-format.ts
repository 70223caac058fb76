/** "Sam (Samantha) Lee": the name the client goes by, with the legal first name when it differs. */
export function clientName(c: { firstName: string; lastName: string; preferredName?: string | null }): string {
  const preferred = c.preferredName?.trim();
  if (preferred && preferred !== c.firstName) return `${preferred} (${c.firstName}) ${c.lastName}`;
  return `${c.firstName} ${c.lastName}`;
}
