import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { parseUnits } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import {
  AccessManager__factory,
  ClaimAdjudicator__factory,
  CommitteeArbiter__factory,
  CoverManager__factory,
  IOptimisticOracleV3__factory,
  IUmaAddressWhitelistAdmin__factory,
  IUmaFinderAdmin__factory,
  IUmaIdentifierWhitelistAdmin__factory,
  IUmaMockOracle__factory,
  IUmaStoreAdmin__factory,
  MockV3Aggregator__factory,
  ParapetLens__factory,
  PolicyDescriptor__factory,
  PriceFeedTrigger__factory,
  ProductRegistry__factory,
  TestStablecoin__factory,
  UmaArbiter__factory,
  UnderwriterVault__factory,
  type AccessManager,
  type ClaimAdjudicator,
  type CommitteeArbiter,
  type CoverManager,
  type IOptimisticOracleV3,
  type IUmaAddressWhitelistAdmin,
  type IUmaFinderAdmin,
  type IUmaIdentifierWhitelistAdmin,
  type IUmaMockOracle,
  type IUmaStoreAdmin,
  type MockV3Aggregator,
  type ParapetLens,
  type PolicyDescriptor,
  type PriceFeedTrigger,
  type ProductRegistry,
  type TestStablecoin,
  type UmaArbiter,
  type UnderwriterVault,
} from "../types/ethers-contracts/index.js";
import { ParapetModule } from "./ignition/Parapet.js";
import { deployUmaLocal } from "./uma.js";
import { SEED_BONDS, SEED_DEPEG_TRIGGER, SEED_PRODUCTS, SEED_VAULT_TERMS, type SeedProductKey } from "./seed.js";

const COMMITTEE_QUORUM = 2n;

export interface DeployParapetOptions {
  /** Decimals of the test stablecoin (6 like USDC by default; 18 to exercise large amounts). */
  assetDecimals?: number;
  /** Test stablecoins minted to each underwriter and buyer account, in whole units (default 1,000,000). */
  fundingPerAccount?: bigint;
}

/** The named local-chain accounts the fixture sets up. */
export interface ParapetAccounts {
  admin: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  riskManager: HardhatEthersSigner;
  curator: HardhatEthersSigner;
  /** Funded with the test stablecoin and approved on both vaults. */
  underwriters: HardhatEthersSigner[];
  /** Funded with the test stablecoin and approved on the CoverManager. */
  buyers: HardhatEthersSigner[];
  /** Unfunded, unprivileged. */
  outsider: HardhatEthersSigner;
  /** Funded and approved on the adjudicator: disputes bad claims, settles mature ones. */
  watcher: HardhatEthersSigner;
  /** Manages the arbiter committee's membership, quorum and voting period. */
  committeeAdmin: HardhatEthersSigner;
}

export interface ParapetDeployment {
  accessManager: AccessManager;
  productRegistry: ProductRegistry;
  coverManager: CoverManager;
  vaults: { conservative: UnderwriterVault; highYield: UnderwriterVault };
  asset: TestStablecoin;
  /** Receives protocol fees. */
  treasury: HardhatEthersSigner;
  productIds: Record<SeedProductKey, bigint>;
  accounts: ParapetAccounts;
  claimAdjudicator: ClaimAdjudicator;
  committeeArbiter: CommitteeArbiter;
  /** The arbiter committee's members (quorum 2 of 3). */
  committee: HardhatEthersSigner[];
  /** Sends the disputes of products the risk manager assigns to it (`setProductArbiter`) to UMA's DVM. */
  umaArbiter: UmaArbiter;
  /**
   * UMA's real contracts (from `@uma/contracts-node`), deployed by deploy/ignition/UmaLocal.ts with the test
   * stablecoin as bond currency (final fee `SEED_UMA.finalFee`); `mockOracle` is the DVM: pushing a price stands in for
   * the token holders' vote.
   */
  uma: {
    finder: IUmaFinderAdmin;
    store: IUmaStoreAdmin;
    collateralWhitelist: IUmaAddressWhitelistAdmin;
    identifierWhitelist: IUmaIdentifierWhitelistAdmin;
    mockOracle: IUmaMockOracle;
    optimisticOracle: IOptimisticOracleV3;
  };
  /** The USDx/USD feed (a Chainlink MockV3Aggregator) watched by the depeg product's trigger. */
  priceFeed: MockV3Aggregator;
  priceFeedTrigger: PriceFeedTrigger;
  /** Batched read views for the SDK and scripts. */
  lens: ParapetLens;
  /** Renders each policy NFT's `tokenURI` (JSON + SVG), set on the CoverManager by the module. */
  policyDescriptor: PolicyDescriptor;
  /** The first block of the deployment: where log indexers (the SDK's `policiesOf`) start. */
  startBlock: number;
}

/**
 * Deploys Parapet on a local chain through its Ignition module, with a seeded test stablecoin, the seed products
 * (two discretionary, one parametric depeg with its Chainlink-fed trigger) and both vaults backing them. Account
 * layout: 0 admin/deployer, 1 guardian, 2 risk manager, 3 curator, 4 treasury, 5–7 underwriters, 8–11 buyers,
 * 12 outsider, 13–15 committee, 16 watcher, 17 committee admin.
 */
export async function deployParapet(
  connection: NetworkConnection,
  options: DeployParapetOptions = {},
): Promise<ParapetDeployment> {
  const { ethers, ignition } = connection;
  const decimals = options.assetDecimals ?? 6;
  const signers = await ethers.getSigners();
  const [admin, guardian, riskManager, curator, treasury] = signers;
  const accounts: ParapetAccounts = {
    admin,
    guardian,
    riskManager,
    curator,
    underwriters: signers.slice(5, 8),
    buyers: signers.slice(8, 12),
    outsider: signers[12],
    watcher: signers[16],
    committeeAdmin: signers[17],
  };
  const committee = signers.slice(13, 16);

  const startBlock = (await ethers.provider.getBlockNumber()) + 1;
  const asset = await new TestStablecoin__factory(admin).deploy("Test USD", "tUSD", decimals);
  await asset.waitForDeployment();

  const umaDeployed = await deployUmaLocal(connection, await asset.getAddress());
  const deployed = await ignition.deploy(ParapetModule, {
    parameters: {
      Parapet: {
        optimisticOracleV3: await umaDeployed.optimisticOracle.getAddress(),
        asset: await asset.getAddress(),
        treasury: treasury.address,
        guardian: guardian.address,
        riskManager: riskManager.address,
        curator: curator.address,
        incidentBond: SEED_BONDS.incidentBond,
        committeeAdmin: accounts.committeeAdmin.address,
        committee: committee.map((member) => member.address),
        quorum: COMMITTEE_QUORUM,
      },
    },
    displayUi: false,
  });
  const at = async (contract: { getAddress(): Promise<string> }) => contract.getAddress();
  const accessManager = AccessManager__factory.connect(await at(deployed.accessManager), admin);
  const productRegistry = ProductRegistry__factory.connect(await at(deployed.productRegistry), admin);
  const coverManager = CoverManager__factory.connect(await at(deployed.coverManager), admin);
  const vaults = {
    conservative: UnderwriterVault__factory.connect(await at(deployed.conservativeVault), admin),
    highYield: UnderwriterVault__factory.connect(await at(deployed.highYieldVault), admin),
  };
  const claimAdjudicator = ClaimAdjudicator__factory.connect(await at(deployed.claimAdjudicator), admin);
  const committeeArbiter = CommitteeArbiter__factory.connect(await at(deployed.committeeArbiter), admin);
  const umaArbiter = UmaArbiter__factory.connect(await at(deployed.umaArbiter), admin);
  const uma = {
    finder: IUmaFinderAdmin__factory.connect(await at(umaDeployed.finder), admin),
    store: IUmaStoreAdmin__factory.connect(await at(umaDeployed.store), admin),
    collateralWhitelist: IUmaAddressWhitelistAdmin__factory.connect(await at(umaDeployed.collateralWhitelist), admin),
    identifierWhitelist: IUmaIdentifierWhitelistAdmin__factory.connect(await at(umaDeployed.identifierWhitelist), admin),
    mockOracle: IUmaMockOracle__factory.connect(await at(umaDeployed.mockOracle), admin),
    optimisticOracle: IOptimisticOracleV3__factory.connect(await at(umaDeployed.optimisticOracle), admin),
  };
  const lens = ParapetLens__factory.connect(await at(deployed.lens), admin);
  const policyDescriptor = PolicyDescriptor__factory.connect(await at(deployed.policyDescriptor), admin);

  const productIds = {} as Record<SeedProductKey, bigint>;
  for (const [key, params] of Object.entries(SEED_PRODUCTS) as Array<[SeedProductKey, (typeof SEED_PRODUCTS)[SeedProductKey]]>) {
    const productId = await productRegistry.connect(riskManager).createProduct.staticCall(params);
    await (await productRegistry.connect(riskManager).createProduct(params)).wait();
    productIds[key] = productId;
  }
  for (const [vaultKey, termsByProduct] of Object.entries(SEED_VAULT_TERMS) as Array<
    [keyof typeof vaults, (typeof SEED_VAULT_TERMS)[keyof typeof vaults]]
  >) {
    for (const [productKey, terms] of Object.entries(termsByProduct) as Array<[SeedProductKey, (typeof termsByProduct)[SeedProductKey]]>) {
      await (await vaults[vaultKey].connect(curator).setProductTerms(productIds[productKey], terms)).wait();
    }
  }

  const priceFeed = await new MockV3Aggregator__factory(admin).deploy(
    SEED_DEPEG_TRIGGER.feedDecimals,
    SEED_DEPEG_TRIGGER.initialPrice,
  );
  const priceFeedTrigger = await new PriceFeedTrigger__factory(admin).deploy(
    claimAdjudicator,
    productIds.depeg,
    priceFeed,
    SEED_DEPEG_TRIGGER.feedDecimals,
    SEED_DEPEG_TRIGGER.threshold,
    SEED_DEPEG_TRIGGER.stalenessLimit,
    SEED_DEPEG_TRIGGER.payoutWad,
    ethers.ZeroAddress,
    0n,
  );
  await priceFeedTrigger.waitForDeployment();
  await (await productRegistry.connect(riskManager).setProductTrigger(productIds.depeg, priceFeedTrigger)).wait();
  await (await claimAdjudicator.connect(riskManager).setMinBond(asset, SEED_BONDS.minClaimBond)).wait();

  const funding = parseUnits((options.fundingPerAccount ?? 1_000_000n).toString(), decimals);
  for (const account of [...accounts.underwriters, ...accounts.buyers, accounts.watcher]) {
    await (await asset.mint(account.address, funding)).wait();
  }
  for (const account of [...accounts.buyers, accounts.watcher]) {
    await (await asset.connect(account).approve(await claimAdjudicator.getAddress(), ethers.MaxUint256)).wait();
    await (await asset.connect(account).approve(await umaArbiter.getAddress(), ethers.MaxUint256)).wait();
  }
  for (const underwriter of accounts.underwriters) {
    for (const vault of Object.values(vaults)) {
      await (await asset.connect(underwriter).approve(await vault.getAddress(), ethers.MaxUint256)).wait();
    }
  }
  for (const buyer of accounts.buyers) {
    await (await asset.connect(buyer).approve(await coverManager.getAddress(), ethers.MaxUint256)).wait();
  }

  return {
    accessManager,
    productRegistry,
    coverManager,
    vaults,
    asset,
    treasury,
    productIds,
    accounts,
    claimAdjudicator,
    committeeArbiter,
    committee,
    umaArbiter,
    uma,
    priceFeed,
    priceFeedTrigger,
    lens,
    policyDescriptor,
    startBlock,
  };
}
