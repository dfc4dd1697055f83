import { expect } from "chai";
import { ZeroAddress } from "ethers";

import { BlocklistStablecoin__factory } from "../../../types/ethers-contracts/index.js";
import { coverParams, DAY, ethers, networkHelpers, usd } from "../helpers.js";
import { deployParapetOn } from "./exoticAsset.js";

const AMOUNT = usd(10_000);
const PERIOD = 30n * DAY;
const COMMISSION_BPS = 250n;

/** The protocol over a stablecoin with a USDC-style blocklist, 1M in the vault. */
async function deployOnBlocklistToken() {
  const [deployer] = await ethers.getSigners();
  const token = await new BlocklistStablecoin__factory(deployer).deploy("Blocklist USD", "bUSD", 6);
  const d = await deployParapetOn(token);
  const [alice] = d.accounts.underwriters;
  await (await d.vault.connect(alice).deposit(usd(1_000_000), alice.address)).wait();
  const [premium, protocolFee] = await d.coverManager.quotePremium(
    d.productIds.lending,
    await d.vault.getAddress(),
    AMOUNT,
    PERIOD,
  );
  return { ...d, token, premium, protocolFee, commission: (premium * COMMISSION_BPS) / 10_000n };
}

describe("Attack: a treasury or commission recipient the token refuses", () => {
  const load = () => networkHelpers.loadFixture(deployOnBlocklistToken);

  it("a blocklisted treasury stops no sale: the fee waits in the vault outside its books; a sweep to the blocked treasury reverts and moves nothing; once governance names another treasury the sweep pays it", async () => {
    const s = await load();
    const [buyer] = s.accounts.buyers;
    const { outsider: refuge } = s.accounts;
    await (await s.token.setBlocked(s.treasury.address, true)).wait();
    const params = await coverParams(buyer, { vault: s.vault, productId: s.productIds.lending, amount: AMOUNT });
    const managedBefore = await s.vault.managedAssets();

    const purchase = s.coverManager.connect(buyer).buyCover(params);
    await expect(purchase).to.changeTokenBalances(
      ethers,
      s.token,
      [buyer, s.vault, s.coverManager, s.treasury],
      [-(s.premium + s.protocolFee), s.premium + s.protocolFee, 0n, 0n],
    );
    await expect(purchase).to.not.emit(s.coverManager, "PaymentParked");
    expect(await s.coverManager.ownerOf(1n)).to.equal(buyer.address);
    expect(await s.vault.managedAssets()).to.equal(managedBefore + s.premium);
    expect(await s.vault.protocolFeesHeld()).to.equal(s.protocolFee);

    // The token refuses the treasury: the sweep reverts whole, and the fee stays where it was.
    await expect(s.vault.connect(refuge).sweepProtocolFees())
      .to.be.revertedWithCustomError(s.token, "BlockedReceiver")
      .withArgs(s.treasury.address);
    expect(await s.vault.protocolFeesHeld()).to.equal(s.protocolFee);

    await (await s.coverManager.connect(s.accounts.admin).setTreasury(refuge.address)).wait();
    const sweep = s.vault.connect(buyer).sweepProtocolFees();
    await expect(sweep).to.emit(s.vault, "ProtocolFeesSwept").withArgs(refuge.address, s.protocolFee);
    await expect(sweep).to.changeTokenBalances(ethers, s.token, [s.vault, refuge], [-s.protocolFee, s.protocolFee]);
    expect(await s.vault.managedAssets()).to.equal(managedBefore + s.premium);
    expect(await s.vault.protocolFeesHeld()).to.equal(0n);
  });

  it("a blocklisted frontend's commission is parked in the CoverManager, which the frontend withdraws to another address; withdrawals stay open while sales are paused", async () => {
    const s = await load();
    const [buyer] = s.accounts.buyers;
    const frontend = s.accounts.watcher;
    await (await s.token.setBlocked(frontend.address, true)).wait();
    const params = await coverParams(buyer, {
      vault: s.vault,
      productId: s.productIds.lending,
      amount: AMOUNT,
      commissionBps: COMMISSION_BPS,
      commissionRecipient: frontend.address,
    });

    const purchase = s.coverManager.connect(buyer).buyCover(params);
    await expect(purchase)
      .to.emit(s.coverManager, "PaymentParked")
      .withArgs(await s.token.getAddress(), frontend.address, s.commission);
    await expect(purchase).to.changeTokenBalances(
      ethers,
      s.token,
      [buyer, s.vault, s.treasury, s.coverManager, frontend],
      [-(s.premium + s.protocolFee + s.commission), s.premium + s.protocolFee, 0n, s.commission, 0n],
    );
    expect(await s.coverManager.parkedOf(s.token, frontend.address)).to.equal(s.commission);

    const { outsider: refuge } = s.accounts;
    await expect(s.coverManager.connect(frontend).withdrawParked(s.token, ZeroAddress))
      .to.be.revertedWithCustomError(s.coverManager, "InvalidReceiver")
      .withArgs(ZeroAddress);
    await expect(s.coverManager.connect(refuge).withdrawParked(s.token, refuge.address))
      .to.be.revertedWithCustomError(s.coverManager, "NothingParked")
      .withArgs(await s.token.getAddress(), refuge.address);

    await (await s.coverManager.connect(s.accounts.guardian).pause()).wait();
    // The blocked address itself cannot receive, so it withdraws elsewhere.
    const withdrawal = s.coverManager.connect(frontend).withdrawParked(s.token, refuge.address);
    await expect(withdrawal)
      .to.emit(s.coverManager, "ParkedWithdrawn")
      .withArgs(await s.token.getAddress(), frontend.address, refuge.address, s.commission);
    await expect(withdrawal).to.changeTokenBalances(ethers, s.token, [s.coverManager, refuge], [-s.commission, s.commission]);
    expect(await s.coverManager.parkedOf(s.token, frontend.address)).to.equal(0n);
    await expect(s.coverManager.connect(frontend).withdrawParked(s.token, refuge.address))
      .to.be.revertedWithCustomError(s.coverManager, "NothingParked")
      .withArgs(await s.token.getAddress(), frontend.address);
  });

  it("a buyer who cannot pay the parked commission either: the whole purchase reverts and nothing is parked", async () => {
    const s = await load();
    const [buyer] = s.accounts.buyers;
    const frontend = s.accounts.watcher;
    await (await s.token.setBlocked(frontend.address, true)).wait();
    // Enough for the premium and the fee only.
    await (await s.token.connect(buyer).approve(s.coverManager, s.premium + s.protocolFee)).wait();
    const params = await coverParams(buyer, {
      vault: s.vault,
      productId: s.productIds.lending,
      amount: AMOUNT,
      commissionBps: COMMISSION_BPS,
      commissionRecipient: frontend.address,
    });
    await expect(s.coverManager.connect(buyer).buyCover(params)).to.be.revertedWithCustomError(
      s.token,
      "ERC20InsufficientAllowance",
    );
    expect(await s.coverManager.parkedOf(s.token, frontend.address)).to.equal(0n);
    expect(await s.coverManager.policyCount()).to.equal(0n);
    expect(await s.vault.protocolFeesHeld()).to.equal(0n);
  });
});
