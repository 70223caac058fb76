import { Foundation1763800000000 } from './1763800000000-Foundation';

/** Every migration, in order. New ones are appended here. */
export const MIGRATIONS = [Foundation1763800000000];
