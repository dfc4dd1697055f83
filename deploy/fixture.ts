import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { parseUnits } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import {
  AccessManager__factory,
  CoverManager__factory,
  ProductRegistry__factory,
  TestStablecoin__factory,
  UnderwriterVault__factory,
  type AccessManager,
  type CoverManager,
  type ProductRegistry,
  type TestStablecoin,
  type UnderwriterVault,
} from "../types/ethers-contracts/index.js";
import { ParapetModule } from "./ignition/Parapet.js";
import { SEED_PRODUCTS, SEED_VAULT_TERMS, type SeedProductKey } from "./seed.js";

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
}

/**
 * Deploys Parapet on a local chain through its Ignition module, with a seeded test stablecoin, the seed products and
 * both vaults backing them. Account layout: 0 admin/deployer, 1 guardian, 2 risk manager, 3 curator, 4 treasury,
 * 5–7 underwriters, 8–11 buyers, 12 outsider.
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
  };

  const asset = await new TestStablecoin__factory(admin).deploy("Test USD", "tUSD", decimals);
  await asset.waitForDeployment();

  const deployed = await ignition.deploy(ParapetModule, {
    parameters: {
      Parapet: {
        asset: await asset.getAddress(),
        treasury: treasury.address,
        guardian: guardian.address,
        riskManager: riskManager.address,
        curator: curator.address,
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

  const funding = parseUnits((options.fundingPerAccount ?? 1_000_000n).toString(), decimals);
  for (const account of [...accounts.underwriters, ...accounts.buyers]) {
    await (await asset.mint(account.address, funding)).wait();
  }
  for (const underwriter of accounts.underwriters) {
    for (const vault of Object.values(vaults)) {
      await (await asset.connect(underwriter).approve(await vault.getAddress(), ethers.MaxUint256)).wait();
    }
  }
  for (const buyer of accounts.buyers) {
    await (await asset.connect(buyer).approve(await coverManager.getAddress(), ethers.MaxUint256)).wait();
  }

  return { accessManager, productRegistry, coverManager, vaults, asset, treasury, productIds, accounts };
}
