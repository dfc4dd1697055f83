/**
 * What an action needs from the signer's wallet, checked before anything is signed: the balance first (no approval
 * is ever sent for an action the balance cannot pay), then one approval for exactly what is missing.
 *
 * @packageDocumentation
 */
import { Contract, type ContractRunner, type ContractTransactionResponse } from "ethers";

import { ParapetError } from "../core/index.js";
import { withContractErrors } from "./errors.js";

/** The signer holds less of the token than the action takes: nothing was sent. */
export class InsufficientFunds extends ParapetError {
  readonly token: string;
  readonly account: string;
  readonly balance: bigint;
  readonly required: bigint;

  constructor(token: string, account: string, balance: bigint, required: bigint, purpose: string) {
    super(`${account} holds ${balance} of ${token} but ${purpose} needs ${required} (smallest units): nothing was sent`, "InsufficientFunds");
    this.token = token;
    this.account = account;
    this.balance = balance;
    this.required = required;
  }
}

const ERC20_ABI = [
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function balanceOf(address account) view returns (uint256)",
  "function decimals() view returns (uint8)",
];

/** The ERC-20 functions the client uses. */
export type Erc20 = {
  allowance(owner: string, spender: string): Promise<bigint>;
  approve(spender: string, amount: bigint): Promise<ContractTransactionResponse>;
  balanceOf(account: string): Promise<bigint>;
  decimals(): Promise<bigint>;
};

export function erc20(token: string, runner: ContractRunner): Erc20 {
  return new Contract(token, ERC20_ABI, runner) as unknown as Erc20;
}

/** What a funds check found: the allowance to raise to, if any. */
export type FundsPlan = { balance: bigint; allowance: bigint; approve: bigint | undefined };

/**
 * Reads the balance and allowance together and decides: throws {@link InsufficientFunds} if the balance is short
 * of `amount`; otherwise returns the allowance to approve (`allowanceNeeded`, or `unlimited`), or `undefined` if the
 * current one suffices. `allowance` may be passed when already read.
 */
export async function planFunds(
  token: Erc20,
  tokenAddress: string,
  owner: string,
  spender: string,
  amount: bigint,
  options: { allowanceNeeded?: bigint; allowance?: bigint; unlimited?: bigint; purpose: string },
): Promise<FundsPlan> {
  const needed = options.allowanceNeeded ?? amount;
  const [balance, allowance] = await withContractErrors(() =>
    Promise.all([token.balanceOf(owner), options.allowance ?? token.allowance(owner, spender)]),
  );
  if (balance < amount) throw new InsufficientFunds(tokenAddress, owner, balance, amount, options.purpose);
  return { balance, allowance, approve: allowance >= needed ? undefined : (options.unlimited ?? needed) };
}
