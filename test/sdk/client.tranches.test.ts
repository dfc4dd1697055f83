/**
 * The client's tranche actions and read on the in-process chain: a deposit per tranche through the vault, a request
 * and a redeem (optionally straight into a vault request), the read of NAV, share price, APY, loss buffer and the
 * vault loss at which the senior starts losing; a senior deposit past the ratio is refused before anything is sent.
 */
import { expect } from "chai";

import {
  InvalidArgument,
  JuniorRatioTooLow,
  ParapetClient,
  seniorLossThreshold,
  WAD,
} from "../../sdk/src/index.js";
import { buyCover, DAY, ethers, loadParapet, time, usd } from "../mocha/helpers.js";
import { sdkDeployment } from "./sdkDeployment.js";

async function setup() {
  const d = await loadParapet();
  const deployment = await sdkDeployment(d);
  const [alice, bob, carol] = d.accounts.underwriters;
  const clientOf = (signer: typeof alice) => ParapetClient.connect(signer!, deployment);
  return { d, deployment, alice: alice!, bob: bob!, carol: carol!, clientOf };
}

describe("ParapetClient: tranches", () => {
  it("deposits into each tranche through the vault, and reads both tranches' NAV, price, buffer and threshold", async () => {
    const { d, alice, bob, clientOf } = await setup();
    const junior = await (await clientOf(alice)).trancheDeposit("highYield", "junior", "300000");
    expect(junior.credit).to.be.closeTo(usd(300_000), 1n);
    expect(junior.shares).to.equal(await d.tranches.highYield.junior.balanceOf(alice.address));
    expect(junior.vaultShares).to.equal(await d.vaults.highYield.balanceOf(await d.tranches.highYield.manager.getAddress()));
    await (await clientOf(bob)).trancheDeposit("highYield", "senior", usd(700_000));

    const view = await (await clientOf(alice)).tranches("highYield", alice.address);
    expect(view.junior.exitValue).to.be.closeTo(usd(300_000), 1n);
    expect(view.senior.exitValue).to.be.closeTo(usd(700_000), 1n);
    expect(view.junior.sharePriceWad).to.be.closeTo(WAD, 10n ** 12n);
    expect(view.lossBufferWad).to.equal((view.junior.exitValue * WAD) / view.senior.exitValue);
    expect(view.layerLossBeforeSenior).to.equal(view.junior.exitValue);
    // The layer holds every share of the vault: the senior starts losing after a vault loss of the junior's value.
    expect(view.seniorLossThreshold).to.equal(
      seniorLossThreshold(view.junior.exitValue, view.vaultShares, await d.vaults.highYield.totalSupply()),
    );
    expect(view.seniorLossThreshold).to.be.closeTo(usd(300_000), 2n);
    expect(view.junior.position?.shares).to.equal(junior.shares);
    expect(view.junior.aprWad).to.equal(0n);
  });

  it("the APY comes from the premium the vault streams, split as the contract splits it", async () => {
    const { d, alice, bob, clientOf } = await setup();
    await (await clientOf(alice)).trancheDeposit("highYield", "junior", usd(300_000));
    await (await clientOf(bob)).trancheDeposit("highYield", "senior", usd(700_000));
    await buyCover(d, d.accounts.buyers[0]!, { vault: d.vaults.highYield, productId: d.productIds.lending, amount: usd(500_000), period: 180n * DAY });
    const view = await (await clientOf(alice)).tranches("highYield");
    const vault = await (await clientOf(alice)).vault("highYield");
    const layerPerYear = (vault.yield!.premiumPerSecondWad * 365n * DAY) / WAD;
    expect(view.junior.premiumPerYear + view.senior.premiumPerYear).to.be.closeTo(layerPerYear, layerPerYear / 10n ** 6n + 1n);
    // 300k of junior protects all 700k at 20%: the senior keeps 60% of its pro-rata 70%.
    expect(view.senior.premiumPerYear).to.be.closeTo((layerPerYear * 42n) / 100n, layerPerYear / 10n ** 5n);
    expect(view.junior.aprWad! > vault.yield!.aprWad).to.equal(true);
    expect(view.senior.aprWad! < vault.yield!.aprWad).to.equal(true);
    expect(view.junior.apy! > view.senior.apy!).to.equal(true);
  });

  it("refuses a senior deposit past the minimum junior ratio before sending anything", async () => {
    const { alice, bob, clientOf } = await setup();
    await (await clientOf(alice)).trancheDeposit("highYield", "junior", usd(100_000));
    const before = await ethers.provider.getTransactionCount(bob.address);
    let error: unknown;
    try {
      await (await clientOf(bob)).trancheDeposit("highYield", "senior", usd(500_000));
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(InvalidArgument);
    expect((error as Error).message).to.contain("minimum junior ratio");
    expect(await ethers.provider.getTransactionCount(bob.address)).to.equal(before);
  });

  it("requests and redeems a tranche exit for vault shares, straight into a vault request; a junior exit past the ratio is a typed error", async () => {
    const { d, alice, bob, clientOf } = await setup();
    const aliceClient = await clientOf(alice);
    const { shares } = await aliceClient.trancheDeposit("highYield", "junior", usd(300_000));
    await (await clientOf(bob)).trancheDeposit("highYield", "senior", usd(700_000));
    await aliceClient.trancheRequestRedeem("highYield", "junior", shares);
    await time.increase(await d.vaults.highYield.cooldown());
    let error: unknown;
    try {
      await aliceClient.trancheRedeem("highYield", "junior", shares);
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(JuniorRatioTooLow);
    const redeemed = await aliceClient.trancheRedeem("highYield", "junior", undefined, { requestVaultExit: true });
    expect(redeemed.shares).to.be.lessThan(shares);
    expect(redeemed.value).to.be.closeTo(usd(300_000 - 175_000), usd(1));
    expect((await d.vaults.highYield.redeemRequest(alice.address)).shares).to.equal(redeemed.vaultShares);
  });

  it("a deployment without tranches over a vault says so", async () => {
    const { alice, clientOf } = await setup();
    let error: unknown;
    try {
      await (await clientOf(alice)).tranches("conservative");
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(InvalidArgument);
    expect((error as Error).message).to.contain("tranches over: highYield");
  });
});
