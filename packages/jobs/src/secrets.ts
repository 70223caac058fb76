/**
 * The secret the API and the worker fall back to when APP_SECRET is unset outside
 * production (`npm start` always sets a random one, kept in .data/app-secret). One
 * constant, so links the worker signs still verify in the API.
 */
export const DEV_APP_SECRET = 'fascia-development-secret-do-not-use-in-production';
