/**
 * The keeper's signer: an ethers `Wallet` that writes every transaction it signs (hash, nonce, raw bytes, and the
 * action it serves) to the keeper's database *before* broadcasting it. The SDK's actions send through it unchanged.
 *
 * Why: a keeper killed between broadcast and bookkeeping must not, on restart, sign the same action again with a
 * fresh nonce. With the journal it finds the transaction by hash, waits for it, or broadcasts the very same bytes
 * (same nonce, same hash) if the node never got them.
 */
import { Transaction, Wallet, type Provider, type TransactionRequest, type TransactionResponse } from "ethers";

import type { KeeperStore } from "./store.js";

export class JournalingWallet extends Wallet {
  readonly #store: KeeperStore;
  readonly #onBroadcast: (sent: { key: string; kind: string; hash: string; nonce: number }) => void;
  #action: { key: string; kind: string } | undefined;

  constructor(
    privateKey: string,
    provider: Provider,
    store: KeeperStore,
    onBroadcast: (sent: { key: string; kind: string; hash: string; nonce: number }) => void = () => {},
  ) {
    super(privateKey, provider);
    this.#store = store;
    this.#onBroadcast = onBroadcast;
  }

  /** Runs `body` with every transaction it signs journaled under the action `key`. */
  async forAction<T>(key: string, kind: string, body: () => Promise<T>): Promise<T> {
    this.#action = { key, kind };
    try {
      return await body();
    } finally {
      this.#action = undefined;
    }
  }

  override async sendTransaction(request: TransactionRequest): Promise<TransactionResponse> {
    const action = this.#action;
    if (action === undefined) throw new Error("the keeper signs only inside an action (JournalingWallet.forAction)");
    // What AbstractSigner.sendTransaction does, with the journal write between signing and broadcasting.
    const populated = await this.populateTransaction(request);
    delete populated.from;
    const signed = await this.signTransaction(Transaction.from(populated));
    const transaction = Transaction.from(signed);
    this.#store.recordSent(action.key, action.kind, transaction.hash!, transaction.nonce, signed);
    const response = await this.provider!.broadcastTransaction(signed);
    this.#onBroadcast({ ...action, hash: transaction.hash!, nonce: transaction.nonce });
    return response;
  }
}
