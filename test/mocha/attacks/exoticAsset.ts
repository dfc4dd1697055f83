import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import { ParapetModule } from "../../../deploy/ignition/Parapet.js";
import { deployUmaLocal } from "../../../deploy/uma.js";
import { SEED_BONDS, SEED_PRODUCTS, SEED_VAULT_TERMS } from "../../../deploy/seed.js";
import {
  ClaimAdjudicator__factory,
  CommitteeArbiter__factory,
  CoverManager__factory,
  ProductRegistry__factory,
  UnderwriterVault__factory,
} from "../../../types/ethers-contracts/index.js";
import { connection, coverParams, ethers, usd } from "../helpers.js";

/** Any of the mock tokens: an ERC-20 with free minting. */
export interface MintableToken {
  getAddress(): Promise<string>;
  mint(to: string, amount: bigint): Promise<unknown>;
  connect(runner: HardhatEthersSigner): {
    approve(spender: string, amount: bigint): Promise<{ wait(): Promise<unknown> }>;
  };
}

/**
 * The whole protocol deployed through the same Ignition module as `deployParapet`, but over `token` (a mock with an
 * exotic transfer): the two discretionary seed products (lending, dex) backed by the conservative vault on the seed
 * terms, the seed minimum claim bond for `token`, and 1,000,000 units minted to and approved by the same named
 * accounts as the fixture (underwriters on the vault, buyers on the CoverManager and the adjudicator, the watcher on
 * the adjudicator). Incident bonds are in `token` too.
 */
export async function deployParapetOn(token: MintableToken) {
  const signers = await ethers.getSigners();
  const [admin, guardian, riskManager, curator, treasury] = signers;
  const underwriters = signers.slice(5, 8);
  const buyers = signers.slice(8, 12);
  const outsider = signers[12];
  const committee = signers.slice(13, 16);
  const watcher = signers[16];
  const committeeAdmin = signers[17];

  const deployed = await connection.ignition.deploy(ParapetModule, {
    parameters: {
      Parapet: {
        optimisticOracleV3: await (await deployUmaLocal(connection, await token.getAddress())).optimisticOracle.getAddress(),
        asset: await token.getAddress(),
        treasury: treasury.address,
        guardian: guardian.address,
        riskManager: riskManager.address,
        curator: curator.address,
        incidentBond: SEED_BONDS.incidentBond,
        committeeAdmin: committeeAdmin.address,
        committee: committee.map((member) => member.address),
        quorum: 2n,
      },
    },
    displayUi: false,
  });
  const productRegistry = ProductRegistry__factory.connect(await deployed.productRegistry.getAddress(), admin);
  const coverManager = CoverManager__factory.connect(await deployed.coverManager.getAddress(), admin);
  const vault = UnderwriterVault__factory.connect(await deployed.conservativeVault.getAddress(), admin);
  const claimAdjudicator = ClaimAdjudicator__factory.connect(await deployed.claimAdjudicator.getAddress(), admin);
  const committeeArbiter = CommitteeArbiter__factory.connect(await deployed.committeeArbiter.getAddress(), admin);

  const productIds = { lending: 0n, dex: 0n };
  for (const key of ["lending", "dex"] as const) {
    productIds[key] = await productRegistry.connect(riskManager).createProduct.staticCall(SEED_PRODUCTS[key]);
    await (await productRegistry.connect(riskManager).createProduct(SEED_PRODUCTS[key])).wait();
    await (await vault.connect(curator).setProductTerms(productIds[key], SEED_VAULT_TERMS.conservative[key])).wait();
  }
  await (await claimAdjudicator.connect(riskManager).setMinBond(await token.getAddress(), SEED_BONDS.minClaimBond)).wait();

  const addresses = {
    vault: await vault.getAddress(),
    coverManager: await coverManager.getAddress(),
    claimAdjudicator: await claimAdjudicator.getAddress(),
  };
  for (const account of [...underwriters, ...buyers, watcher]) {
    await token.mint(account.address, usd(1_000_000));
  }
  for (const underwriter of underwriters) {
    await (await token.connect(underwriter).approve(addresses.vault, ethers.MaxUint256)).wait();
  }
  for (const account of [...buyers, watcher]) {
    await (await token.connect(account).approve(addresses.claimAdjudicator, ethers.MaxUint256)).wait();
  }
  for (const buyer of buyers) {
    await (await token.connect(buyer).approve(addresses.coverManager, ethers.MaxUint256)).wait();
  }

  return {
    productRegistry,
    coverManager,
    vault,
    claimAdjudicator,
    committeeArbiter,
    productIds,
    treasury,
    committee,
    accounts: { admin, guardian, riskManager, curator, underwriters, buyers, outsider, watcher, committeeAdmin },
  };
}

/** The first buyer's 100k, 30-day lending policy on the vault of `deployParapetOn`: its parameters, the vault's address,
 * the policy id and record. */
export async function buyLendingCover(d: Awaited<ReturnType<typeof deployParapetOn>>) {
  const [buyer] = d.accounts.buyers;
  const params = await coverParams(buyer, { vault: d.vault, productId: d.productIds.lending, amount: usd(100_000) });
  await (await d.coverManager.connect(buyer).buyCover(params)).wait();
  const policyId = await d.coverManager.policyCount();
  const vaultAddress = await d.vault.getAddress();
  return { params, vaultAddress, policyId, policy: await d.coverManager.getPolicy(policyId) };
}
