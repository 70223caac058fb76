/**
 * Where the session lives in the browser.
 *
 * The access token (about 15 minutes) is kept in memory only, so a script that reads
 * storage never sees it. The refresh token is kept in localStorage so a reload or a new
 * tab keeps the person signed in; it rotates on every refresh. The planned hardening is
 * to move the refresh token into an httpOnly, SameSite=Strict cookie set by the API, at
 * which point this module stops touching localStorage for it.
 */

const REFRESH_KEY = 'fascia.refreshToken';
const CLINIC_KEY = 'fascia.clinicId';

let accessToken: string | null = null;

export function getAccessToken(): string | null {
  return accessToken;
}

export function getRefreshToken(): string | null {
  try {
    return window.localStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

export function storeTokens(tokens: { accessToken: string; refreshToken: string }): void {
  accessToken = tokens.accessToken;
  try {
    window.localStorage.setItem(REFRESH_KEY, tokens.refreshToken);
  } catch {
    // Storage disabled: the session lasts as long as the page.
  }
}

export function clearTokens(): void {
  accessToken = null;
  try {
    window.localStorage.removeItem(REFRESH_KEY);
  } catch {
    // nothing stored
  }
}

/** The clinic picked in the header, remembered per browser. */
export function getStoredClinicId(): string | null {
  try {
    return window.localStorage.getItem(CLINIC_KEY);
  } catch {
    return null;
  }
}

export function storeClinicId(id: string | null): void {
  try {
    if (id) window.localStorage.setItem(CLINIC_KEY, id);
    else window.localStorage.removeItem(CLINIC_KEY);
  } catch {
    // not remembered
  }
}
