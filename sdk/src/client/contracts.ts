/**
 * Typed handles on the protocol's contracts, built from ABIs only.
 *
 * The typechain factories of the implementations (`CoverManager__factory`, ...) carry each contract's deployment
 * bytecode, about 190 KiB minified in a browser bundle for the four the client uses. The client therefore builds its
 * handles from the generated *interface* factories (ABI only, regenerated with every build, so never stale), plus the
 * few standard functions the interfaces do not declare (ERC-721, ERC-4626, multicall, public getters), and types
 * them as the interface's typechain type plus exactly those extras.
 *
 * @packageDocumentation
 */
import { Contract, Interface, type ContractRunner, type InterfaceAbi } from "ethers";

import type { ClaimAdjudicator } from "../typechain/contracts/ClaimAdjudicator.js";
import type { CoverManager } from "../typechain/contracts/CoverManager.js";
import type { IClaimAdjudicator } from "../typechain/contracts/interfaces/IClaimAdjudicator.js";
import type { ICommitteeArbiter } from "../typechain/contracts/interfaces/ICommitteeArbiter.js";
import type { ICoverManager } from "../typechain/contracts/interfaces/ICoverManager.js";
import type { IParapetLens } from "../typechain/contracts/interfaces/IParapetLens.js";
import type { ITrancheManager } from "../typechain/contracts/interfaces/ITrancheManager.js";
import type { ITrancheToken } from "../typechain/contracts/interfaces/ITrancheToken.js";
import type { IUnderwriterVault } from "../typechain/contracts/interfaces/IUnderwriterVault.js";
import type { UnderwriterVault } from "../typechain/contracts/UnderwriterVault.js";
import { IClaimAdjudicator__factory } from "../typechain/factories/contracts/interfaces/IClaimAdjudicator__factory.js";
import { ICommitteeArbiter__factory } from "../typechain/factories/contracts/interfaces/ICommitteeArbiter__factory.js";
import { ICoverManager__factory } from "../typechain/factories/contracts/interfaces/ICoverManager__factory.js";
import { IParapetLens__factory } from "../typechain/factories/contracts/interfaces/IParapetLens__factory.js";
import { ITrancheManager__factory } from "../typechain/factories/contracts/interfaces/ITrancheManager__factory.js";
import { ITrancheToken__factory } from "../typechain/factories/contracts/interfaces/ITrancheToken__factory.js";
import { IUnderwriterVault__factory } from "../typechain/factories/contracts/interfaces/IUnderwriterVault__factory.js";

/**
 * CoverManager functions outside `ICoverManager`, by name: the policy NFT (ERC-721: approve and the transfers are
 * payable, as the standard declares them, and refuse Ether), multicall, pause state.
 */
export const COVER_MANAGER_EXTRAS = {
  balanceOf: "function balanceOf(address owner) view returns (uint256)",
  ownerOf: "function ownerOf(uint256 tokenId) view returns (address)",
  getApproved: "function getApproved(uint256 tokenId) view returns (address)",
  isApprovedForAll: "function isApprovedForAll(address owner, address operator) view returns (bool)",
  approve: "function approve(address to, uint256 tokenId) payable",
  setApprovalForAll: "function setApprovalForAll(address operator, bool approved)",
  transferFrom: "function transferFrom(address from, address to, uint256 tokenId) payable",
  multicall: "function multicall(bytes[] data) returns (bytes[] results)",
  paused: "function paused() view returns (bool)",
} as const;

/** UnderwriterVault functions outside `IUnderwriterVault`, by name: ERC-4626 / ERC-20 shares, settings, pause. */
export const VAULT_EXTRAS = {
  asset: "function asset() view returns (address)",
  decimals: "function decimals() view returns (uint8)",
  totalSupply: "function totalSupply() view returns (uint256)",
  balanceOf: "function balanceOf(address account) view returns (uint256)",
  allowance: "function allowance(address owner, address spender) view returns (uint256)",
  approve: "function approve(address spender, uint256 value) returns (bool)",
  transfer: "function transfer(address to, uint256 value) returns (bool)",
  totalAssets: "function totalAssets() view returns (uint256)",
  convertToShares: "function convertToShares(uint256 assets) view returns (uint256)",
  convertToAssets: "function convertToAssets(uint256 shares) view returns (uint256)",
  previewDeposit: "function previewDeposit(uint256 assets) view returns (uint256)",
  maxRedeem: "function maxRedeem(address controller) view returns (uint256)",
  maxWithdraw: "function maxWithdraw(address controller) view returns (uint256)",
  deposit: "function deposit(uint256 assets, address receiver) returns (uint256)",
  redeem: "function redeem(uint256 shares, address receiver, address controller) returns (uint256)",
  withdraw: "function withdraw(uint256 assets, address receiver, address controller) returns (uint256)",
  cooldown: "function cooldown() view returns (uint256)",
  paused: "function paused() view returns (bool)",
} as const;

/** TrancheToken functions outside `ITrancheToken`, by name: its ERC-4626 shares (the asset is the vault's share). */
export const TRANCHE_TOKEN_EXTRAS = {
  name: "function name() view returns (string)",
  symbol: "function symbol() view returns (string)",
  asset: "function asset() view returns (address)",
  decimals: "function decimals() view returns (uint8)",
  totalSupply: "function totalSupply() view returns (uint256)",
  balanceOf: "function balanceOf(address account) view returns (uint256)",
  allowance: "function allowance(address owner, address spender) view returns (uint256)",
  approve: "function approve(address spender, uint256 value) returns (bool)",
  totalAssets: "function totalAssets() view returns (uint256)",
  convertToShares: "function convertToShares(uint256 assets) view returns (uint256)",
  convertToAssets: "function convertToAssets(uint256 shares) view returns (uint256)",
  previewDeposit: "function previewDeposit(uint256 assets) view returns (uint256)",
  maxDeposit: "function maxDeposit(address receiver) view returns (uint256)",
  maxRedeem: "function maxRedeem(address controller) view returns (uint256)",
  maxWithdraw: "function maxWithdraw(address controller) view returns (uint256)",
  deposit: "function deposit(uint256 assets, address receiver) returns (uint256)",
  redeem: "function redeem(uint256 shares, address receiver, address controller) returns (uint256)",
  withdraw: "function withdraw(uint256 assets, address receiver, address controller) returns (uint256)",
} as const;

/** ClaimAdjudicator public getters outside `IClaimAdjudicator`, by name. */
export const ADJUDICATOR_EXTRAS = {
  incidentBond: "function incidentBond() view returns (uint256)",
  incidentBondAsset: "function incidentBondAsset() view returns (address)",
  openClaimOf: "function openClaimOf(uint256 policyId) view returns (uint256)",
  claimCount: "function claimCount() view returns (uint64)",
  incidentCount: "function incidentCount() view returns (uint256)",
  liveness: "function liveness() view returns (uint32)",
  arbitrationTimeout: "function arbitrationTimeout() view returns (uint256)",
  incidentClaimWindow: "function incidentClaimWindow() view returns (uint32)",
  bondWad: "function bondWad() view returns (uint64)",
  burnWad: "function burnWad() view returns (uint64)",
  minBond: "function minBond(address asset) view returns (uint256)",
  paused: "function paused() view returns (bool)",
} as const;

/** Events outside the interfaces that the client parses. */
export const EXTRA_EVENTS = {
  coverManager: ["event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)"],
  vault: [
    "event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares)",
    "event Withdraw(address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares)",
  ],
} as const;

/** The CoverManager as the client sees it: `ICoverManager`, the policy NFT, and multicall. */
export type CoverManagerHandle = ICoverManager & Pick<CoverManager, keyof typeof COVER_MANAGER_EXTRAS>;
/** A vault as the client sees it: `IUnderwriterVault` and its ERC-4626 shares. */
export type VaultHandle = IUnderwriterVault & Pick<UnderwriterVault, keyof typeof VAULT_EXTRAS>;
/** The adjudicator as the client sees it: `IClaimAdjudicator` and its public parameters. */
export type AdjudicatorHandle = IClaimAdjudicator & Pick<ClaimAdjudicator, keyof typeof ADJUDICATOR_EXTRAS>;
/** A tranche token as the client sees it: `ITrancheToken` and its ERC-4626 shares (typed as the vault's, same ABI). */
export type TrancheTokenHandle = ITrancheToken & Pick<UnderwriterVault, keyof typeof TRANCHE_TOKEN_EXTRAS>;
/** The junior/senior tranche manager over one vault: `ITrancheManager`. */
export type TrancheManagerHandle = ITrancheManager;
/** The committee arbiter: `ICommitteeArbiter`. */
export type ArbiterHandle = ICommitteeArbiter;
/** The Lens. */
export type LensHandle = IParapetLens;

function merged(base: InterfaceAbi, extras: Record<string, string>, events: readonly string[] = []): Interface {
  const iface = new Interface(base as InterfaceAbi);
  const known = new Set(iface.fragments.map((fragment) => fragment.format("sighash")));
  const added = new Interface([...Object.values(extras), ...events]).fragments.filter((fragment) => !known.has(fragment.format("sighash")));
  return new Interface([...iface.fragments, ...added]);
}

/** The merged ABIs, built once. */
export const INTERFACES = {
  coverManager: merged(ICoverManager__factory.abi, COVER_MANAGER_EXTRAS, EXTRA_EVENTS.coverManager),
  vault: merged(IUnderwriterVault__factory.abi, VAULT_EXTRAS, EXTRA_EVENTS.vault),
  adjudicator: merged(IClaimAdjudicator__factory.abi, ADJUDICATOR_EXTRAS),
  arbiter: new Interface(ICommitteeArbiter__factory.abi),
  lens: new Interface(IParapetLens__factory.abi),
  trancheManager: new Interface(ITrancheManager__factory.abi),
  trancheToken: merged(ITrancheToken__factory.abi, TRANCHE_TOKEN_EXTRAS, EXTRA_EVENTS.vault),
} as const;

export const connectCoverManager = (address: string, runner: ContractRunner) =>
  new Contract(address, INTERFACES.coverManager, runner) as unknown as CoverManagerHandle;
export const connectVault = (address: string, runner: ContractRunner) =>
  new Contract(address, INTERFACES.vault, runner) as unknown as VaultHandle;
export const connectAdjudicator = (address: string, runner: ContractRunner) =>
  new Contract(address, INTERFACES.adjudicator, runner) as unknown as AdjudicatorHandle;
export const connectArbiter = (address: string, runner: ContractRunner) =>
  new Contract(address, INTERFACES.arbiter, runner) as unknown as ArbiterHandle;
export const connectTrancheManager = (address: string, runner: ContractRunner) =>
  new Contract(address, INTERFACES.trancheManager, runner) as unknown as TrancheManagerHandle;
export const connectTrancheToken = (address: string, runner: ContractRunner) =>
  new Contract(address, INTERFACES.trancheToken, runner) as unknown as TrancheTokenHandle;
export const connectLens = (address: string, runner: ContractRunner) =>
  new Contract(address, INTERFACES.lens, runner) as unknown as LensHandle;
