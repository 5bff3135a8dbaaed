/** Who made an API call: the account, the key and its mode (set by the accounts feature's authentication). */
export interface Principal {
  accountId: string;
  keyId: string;
  keyMode: 'live' | 'test';
}
