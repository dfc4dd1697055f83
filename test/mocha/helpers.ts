import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { parseUnits, type ContractTransactionReceipt, type Typed } from "ethers";
import { network } from "hardhat";

import { deployParapet, type ParapetDeployment } from "../../deploy/fixture.js";
import {
  BackingLogic__factory,
  CircuitBreakerLogic__factory,
  UnderwriterVault__factory,
  type CoverManager,
  type UnderwriterVault,
} from "../../types/ethers-contracts/index.js";

type BuyCoverParamsStruct = Exclude<Parameters<CoverManager["buyCover"]>[0], Typed>;

/** One in-process chain shared by the mocha files; `loadFixture` snapshots and reverts it between tests. */
export const connection = await network.create();
export const { ethers, networkHelpers } = connection;
export const { time } = networkHelpers;

export const DAY = 86_400n;
export const WEEK = 7n * DAY;
export const YEAR = 365n * DAY;

/** Whole units of the 6-decimal test stablecoin. */
export const usd = (amount: string | number | bigint) => parseUnits(amount.toString(), 6);

async function deployDefault(): Promise<ParapetDeployment> {
  return deployParapet(connection);
}

/** A fresh default deployment (snapshot-reverted between tests). */
export function loadParapet(): Promise<ParapetDeployment> {
  return networkHelpers.loadFixture(deployDefault);
}

/** A deployer of new vaults, linked to freshly deployed copies of the vault's external libraries. */
export async function vaultFactory(deployer: HardhatEthersSigner): Promise<UnderwriterVault__factory> {
  const backing = await new BackingLogic__factory(deployer).deploy();
  const breaker = await new CircuitBreakerLogic__factory(deployer).deploy();
  return new UnderwriterVault__factory(
    {
      ["project/contracts/libraries/BackingLogic.sol:BackingLogic"]: await backing.getAddress(),
      ["project/contracts/libraries/CircuitBreakerLogic.sol:CircuitBreakerLogic"]: await breaker.getAddress(),
    },
    deployer,
  );
}

/**
 * The CoverManager as a signer. It is the only caller of a vault's `payClaim` (the claims module pays through
 * `CoverManager.payClaim`); tests of the vault's side of a payout, with no policy involved, call it as the CoverManager.
 */
export async function asCoverManager(coverManager: CoverManager): Promise<HardhatEthersSigner> {
  const address = await coverManager.getAddress();
  await networkHelpers.impersonateAccount(address);
  await networkHelpers.setBalance(address, 10n ** 18n);
  return ethers.getSigner(address);
}

export interface CoverOrder {
  vault: UnderwriterVault;
  productId: bigint;
  amount: bigint;
  period?: bigint;
  maxPremium?: bigint;
  deadline?: bigint;
  receiver?: string;
  commissionBps?: bigint;
  commissionRecipient?: string;
}

/** A complete `BuyCoverParams` with permissive defaults (30 days, no slippage bound, no commission). */
export async function coverParams(buyer: HardhatEthersSigner, order: CoverOrder): Promise<BuyCoverParamsStruct> {
  return {
    productId: order.productId,
    vault: await order.vault.getAddress(),
    amount: order.amount,
    period: order.period ?? 30n * DAY,
    maxPremium: order.maxPremium ?? ethers.MaxUint256,
    deadline: order.deadline ?? ethers.MaxUint256,
    receiver: order.receiver ?? buyer.address,
    commissionBps: order.commissionBps ?? 0n,
    commissionRecipient: order.commissionRecipient ?? ethers.ZeroAddress,
  };
}

/** Buys cover and returns the new policy id with the receipt. */
export async function buyCover(
  deployment: ParapetDeployment,
  buyer: HardhatEthersSigner,
  order: CoverOrder,
): Promise<{ policyId: bigint; receipt: ContractTransactionReceipt }> {
  const params = await coverParams(buyer, order);
  const coverManager = deployment.coverManager.connect(buyer);
  const policyId = await coverManager.buyCover.staticCall(params);
  const receipt = (await (await coverManager.buyCover(params)).wait())!;
  return { policyId, receipt };
}

/** Deposits `assets` from `underwriter` into `vault`. */
export async function deposit(vault: UnderwriterVault, underwriter: HardhatEthersSigner, assets: bigint) {
  return (await (await vault.connect(underwriter).deposit(assets, underwriter.address)).wait())!;
}
