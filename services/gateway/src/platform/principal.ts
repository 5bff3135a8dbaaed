import type { AccountRow } from './db/rows';

/** Who made an API call: the account, the key and its mode (set by the accounts feature's authentication). */
export interface Principal {
  accountId: string;
  keyId: string;
  keyMode: 'live' | 'test';
  /**
   * The account's row as authentication read it (with the key, in one query): the balance precheck's read, so a
   * call reads the account once before its reservation (whose conditional UPDATE alone decides on money).
   */
  account?: AccountRow;
}
