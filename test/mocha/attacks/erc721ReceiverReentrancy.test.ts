import { expect } from "chai";

import { ReentrantPolicyReceiver__factory } from "../../../types/ethers-contracts/index.js";
import { buyCover, coverParams, DAY, deposit, ethers, loadParapet, time, usd } from "../helpers.js";
import { viewAt } from "./utils.js";

const WAD = 10n ** 18n;
const LIVENESS = 3n * DAY;
const COVER = usd(100_000);
const EVIDENCE = "ipfs://parapet/evidence/erc721-receiver";

/**
 * One million in the conservative vault, a 100k lending policy held by the first buyer, two days later, and a
 * malicious ERC-721 receiver contract funded with 1,000 tUSD and approved on the adjudicator and the CoverManager.
 */
async function withReceiver() {
  const d = await loadParapet();
  const vault = d.vaults.conservative;
  const [underwriter] = d.accounts.underwriters;
  const [buyer] = d.accounts.buyers;
  await deposit(vault, underwriter, usd(1_000_000));
  const { policyId } = await buyCover(d, buyer, { vault, productId: d.productIds.lending, amount: COVER });
  const policy = await d.coverManager.getPolicy(policyId);
  await time.increaseTo(policy.start + 2n * DAY);

  const receiver = await new ReentrantPolicyReceiver__factory(d.accounts.admin).deploy();
  const receiverAddress = await receiver.getAddress();
  await (await d.asset.mint(receiverAddress, usd(1_000))).wait();
  for (const spender of [d.claimAdjudicator, d.coverManager]) {
    const approve = d.asset.interface.encodeFunctionData("approve", [await spender.getAddress(), ethers.MaxUint256]);
    await (await receiver.execute(await d.asset.getAddress(), approve)).wait();
  }
  return { ...d, vault, buyer, policyId, policy, incidentTime: policy.start + DAY + 1n, receiver, receiverAddress };
}

type Setup = Awaited<ReturnType<typeof withReceiver>>;

/** The buyer moves its policy to the receiver with `safeTransferFrom`, which calls `onERC721Received`. */
function safeTransferToReceiver(s: Setup) {
  const safeTransferFrom = s.coverManager.connect(s.buyer).getFunction("safeTransferFrom(address,address,uint256)");
  return safeTransferFrom(s.buyer.address, s.receiverAddress, s.policyId);
}

/** Queues `data` on `target` for the receiver's next hook. */
async function queue(s: Setup, target: { getAddress(): Promise<string> }, data: string) {
  await (await s.receiver.queue(await target.getAddress(), data)).wait();
}

/** The outcome of the receiver's `index`-th re-entrant call, with its error decoded against `iface` when it failed. */
async function outcome(s: Setup, index: bigint, iface: Setup["claimAdjudicator"]["interface"]) {
  const { success, returnData } = await s.receiver.result(index);
  if (success) return { success, error: undefined, args: undefined };
  const error = iface.parseError(returnData);
  return { success, error: error?.name, args: error ? [...error.args] : undefined };
}

describe("Attack: a malicious ERC-721 receiver re-entering from onERC721Received", () => {
  it("buying cover to a malicious receiver contract: policies are minted without the receiver hook (not _safeMint), so it never runs and its queued re-entries never happen", async () => {
    const s = await withReceiver();
    const [, buyer2] = s.accounts.buyers;
    // Queued: a re-entrant purchase and a claim, which would run if a hook were called.
    const params = await coverParams(buyer2, { vault: s.vault, productId: s.productIds.lending, amount: COVER });
    await queue(s, s.coverManager, s.coverManager.interface.encodeFunctionData("buyCover", [params]));
    await queue(
      s,
      s.claimAdjudicator,
      s.claimAdjudicator.interface.encodeFunctionData("fileClaim", [s.policyId, usd(1), s.incidentTime, EVIDENCE]),
    );

    const countBefore = await s.coverManager.policyCount();
    const { policyId, receipt } = await buyCover(s, buyer2, {
      vault: s.vault,
      productId: s.productIds.lending,
      amount: COVER,
      receiver: s.receiverAddress,
    });
    expect(await s.coverManager.ownerOf(policyId)).to.equal(s.receiverAddress);
    expect(await s.coverManager.policyCount()).to.equal(countBefore + 1n);
    expect(await s.receiver.hookCount()).to.equal(0n);
    expect(await s.receiver.resultCount()).to.equal(0n);
    expect(receipt.logs.filter((log) => log.address === s.receiverAddress)).to.have.length(0);
    expect(await s.asset.balanceOf(s.receiverAddress)).to.equal(usd(1_000));
    expect(await s.claimAdjudicator.claimCount()).to.equal(0n);
  });

  it("safeTransferFrom to the receiver: the hook runs once the transfer is complete; a re-entrant fileClaim is an ordinary claim by the new owner (its bond, its reserve), a second one reverts ClaimAlreadyOpen, an early settleClaim reverts LivenessNotExpired", async () => {
    const s = await withReceiver();
    const adj = s.claimAdjudicator;
    const amount = usd(10_000);
    const bond = await adj.bondFor(s.asset, amount);
    expect(bond).to.equal(usd(500));
    await queue(s, adj, adj.interface.encodeFunctionData("fileClaim", [s.policyId, amount, s.incidentTime, EVIDENCE]));
    await queue(s, adj, adj.interface.encodeFunctionData("fileClaim", [s.policyId, amount, s.incidentTime, EVIDENCE]));
    await queue(s, adj, adj.interface.encodeFunctionData("settleClaim", [1n]));

    const reserveBefore = await s.vault.pendingReserve();
    const tx = safeTransferToReceiver(s);
    await expect(tx).to.changeTokenBalances(ethers, s.asset, [s.receiver, adj, s.vault], [-bond, bond, 0n]);
    await expect(tx).to.emit(s.receiver, "HookCalled").withArgs(s.buyer.address, s.buyer.address, s.policyId);
    expect(await s.receiver.hookCount()).to.equal(1n);

    expect(await outcome(s, 0n, adj.interface)).to.deep.equal({ success: true, error: undefined, args: undefined });
    const claim = await adj.getClaim(1n);
    expect(claim.filer).to.equal(s.receiverAddress);
    expect(claim.amount).to.equal(amount);
    expect(claim.bond).to.equal(bond);
    expect(await s.vault.pendingReserve()).to.equal(reserveBefore + amount);
    expect(await outcome(s, 1n, adj.interface)).to.deep.equal({
      success: false,
      error: "ClaimAlreadyOpen",
      args: [s.policyId, 1n],
    });
    expect(await outcome(s, 2n, adj.interface)).to.deep.equal({
      success: false,
      error: "LivenessNotExpired",
      args: [await adj.claimKey(1n), claim.expiration],
    });
    expect(await adj.claimCount()).to.equal(1n);
  });

  it("a re-entrant claimIncidentPayout from the hook pays the new owner once; a second one in the same hook reverts IncidentAlreadyPaid and the vault pays nothing more", async () => {
    const s = await withReceiver();
    const adj = s.claimAdjudicator;
    const payoutWad = WAD / 10n; // 10% of the 100k cover: 10k, far below a quarter of the vault
    await (await adj.connect(s.accounts.watcher).reportIncident(s.productIds.lending, s.incidentTime, payoutWad, EVIDENCE)).wait();
    await time.increase(LIVENESS);
    await (await adj.settleIncident(1n)).wait();
    const payout = (COVER * payoutWad) / WAD;

    const claimData = adj.interface.encodeFunctionData("claimIncidentPayout", [s.policyId, 1n]);
    await queue(s, adj, claimData);
    await queue(s, adj, claimData);
    const tx = safeTransferToReceiver(s);
    await expect(tx).to.changeTokenBalances(ethers, s.asset, [s.vault, s.receiver, s.buyer], [-payout, payout, 0n]);
    await expect(tx).to.emit(adj, "IncidentPayoutClaimed").withArgs(1n, s.policyId, s.receiverAddress, payout);
    expect((await outcome(s, 0n, adj.interface)).success).to.equal(true);
    expect(await outcome(s, 1n, adj.interface)).to.deep.equal({
      success: false,
      error: "IncidentAlreadyPaid",
      args: [1n, s.policyId],
    });
    expect((await s.coverManager.getPolicy(s.policyId)).claimed).to.equal(payout);
    expect((await adj.incidentReserve(1n, s.vault)).paid).to.equal(payout);
    await expect(adj.claimIncidentPayout(s.policyId, 1n))
      .to.be.revertedWithCustomError(adj, "IncidentAlreadyPaid")
      .withArgs(1n, s.policyId);
  });

  it("re-entrant vault calls and purchases from the hook run as ordinary calls (no protocol function is on the stack during a holder's transfer) and change nothing but their own position", async () => {
    const s = await withReceiver();
    const [, buyer2] = s.accounts.buyers;
    const v = s.vault.interface;
    const vaultAddress = await s.vault.getAddress();
    const approve = s.asset.interface.encodeFunctionData("approve", [vaultAddress, ethers.MaxUint256]);
    await (await s.receiver.execute(await s.asset.getAddress(), approve)).wait();
    const params = await coverParams(buyer2, {
      vault: s.vault,
      productId: s.productIds.lending,
      amount: usd(1_000),
      receiver: s.receiverAddress,
    });
    await queue(s, s.vault, v.encodeFunctionData("deposit", [usd(100), s.receiverAddress]));
    await queue(s, s.coverManager, s.coverManager.interface.encodeFunctionData("buyCover", [params]));
    // Someone else's escrowed shares cannot be redeemed from the hook either: no request of the receiver's is ripe.
    await queue(s, s.vault, v.encodeFunctionData("redeem", [1n, s.receiverAddress, s.receiverAddress]));

    const transferAt = BigInt(await time.latest()) + 10n;
    const supplyBefore = await s.vault.totalSupply();
    const managedBefore = await s.vault.managedAssets();
    const shares = await viewAt(transferAt, () => s.vault.previewDeposit(usd(100)));
    await time.setNextBlockTimestamp(transferAt);
    await (await safeTransferToReceiver(s)).wait();

    expect((await s.receiver.result(0n)).success).to.equal(true);
    expect((await s.receiver.result(1n)).success).to.equal(true);
    const redeem = await s.receiver.result(2n);
    expect(redeem.success).to.equal(false);
    expect(v.parseError(redeem.returnData)?.name).to.equal("RedeemRequestNotClaimable");
    // The deposit minted exactly the shares navAsk priced at that block, as a direct deposit would; the purchase
    // minted one more policy to the receiver and booked its premium.
    expect(await s.vault.balanceOf(s.receiverAddress)).to.equal(shares);
    expect(await s.vault.totalSupply()).to.equal(supplyBefore + shares);
    const policy = await s.coverManager.getPolicy(await s.coverManager.policyCount());
    expect(policy.amount).to.equal(usd(1_000));
    expect(await s.coverManager.ownerOf(await s.coverManager.policyCount())).to.equal(s.receiverAddress);
    expect(await s.coverManager.balanceOf(s.receiverAddress)).to.equal(2n);
    const premiumBooked = (await s.vault.managedAssets()) - managedBefore - usd(100);
    expect(premiumBooked).to.be.greaterThan(0n);
    expect(await s.receiver.hookCount()).to.equal(1n);
  });

  it("a claim payout to a contract holder transfers the asset without calling the holder's code (no hook runs during settlement)", async () => {
    const s = await withReceiver();
    const adj = s.claimAdjudicator;
    const amount = usd(10_000);
    await (await adj.connect(s.buyer).fileClaim(s.policyId, amount, s.incidentTime, EVIDENCE)).wait();
    // Mid-claim, the policy moves to the receiver with a plain transferFrom (no hook), and the receiver queues a
    // re-entrant settleClaim that would run if any code of its were called during settlement.
    await (await s.coverManager.connect(s.buyer).transferFrom(s.buyer.address, s.receiverAddress, s.policyId)).wait();
    await queue(s, adj, adj.interface.encodeFunctionData("settleClaim", [1n]));
    await time.increase(LIVENESS);
    const bond = (await adj.getClaim(1n)).bond;
    const tx = adj.connect(s.accounts.watcher).settleClaim(1n);
    await expect(tx).to.changeTokenBalances(ethers, s.asset, [s.vault, s.receiver, s.buyer], [-amount, amount, bond]);
    await expect(tx).to.emit(adj, "ClaimSettled").withArgs(1n, s.policyId, 3n, s.receiverAddress, amount);
    expect(await s.receiver.hookCount()).to.equal(0n);
    expect(await s.receiver.resultCount()).to.equal(0n);
  });
});
