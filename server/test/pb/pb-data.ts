/**
 * What PocketBase's test data fixes and every PocketBase fixture here (auth, crud, collection)
 * reuses: the ids of its collections, the password of its auth records, and the scrypt cost the
 * fixtures hash at.
 */

export const PASSWORD = '1234567890';

/**
 * Real scrypt at a test cost (N=2^12 instead of 2^17): each file hashes and checks a few dozen
 * passwords, which at OWASP's cost would take minutes on a shared CI machine.
 */
export const FIXTURE_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };

/** PocketBase's collection ids (tests/data). */
export const IDS = {
  users: '_pb_users_auth_',
  clients: 'v851q4r790rhknl',
  nologin: 'kpv709sk2lqbqk8',
  superusers: 'pbc_3142635823',
  demo1: 'wsmn24bux7wo113',
  demo2: 'sz5l5z67tg7gku0',
  demo3: 'wzlqyes4orhoygb',
  demo4: '4d1blo5cuycfaca',
  demo5: '9n89pl5vkct6330',
  view1: 'v9gwnfh02gjq1q0',
  view2: 'ib3m2700k5hlsjz',
  numericIdView: 'zahsr9d2mix2fvk',
} as const;
