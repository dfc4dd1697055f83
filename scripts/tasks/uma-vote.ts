/**
 * `uma:vote`: on a local chain, votes as UMA's DVM on a claim disputed before it. The local UMA stack's DVM is UMA's
 * `MockOracleAncillary`, where pushing a price stands in for the token holders' vote; on a public network the DVM is
 * UMA's own vote and this task refuses. Then `claim:push` delivers the ruling and `claim:settle` executes it.
 */
import { encodeBytes32String } from "ethers";

import { IOptimisticOracleV3__factory, IUmaFinder__factory, IUmaMockOracle__factory } from "../../types/ethers-contracts/index.js";
import { keyValues, parseId, TaskError, taskAction } from "./lib/cli.js";
import { claimOf, withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  claim: string | undefined;
  uphold: boolean;
  reject: boolean;
}

/** `ASSERT_TRUTH` answers: 1e18 upholds the assertion (the claim stands), 0 rejects it. */
const TRUE = 10n ** 18n;

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    if (args.uphold === args.reject) throw new TaskError("give either --uphold or --reject");
    const claimId = parseId(args.claim, "--claim");
    const umaCase = (await claimOf(parapet, claimId)).umaCase;
    if (umaCase === undefined) throw new TaskError(`claim #${claimId} is not before UMA's DVM`);
    if (umaCase.dvmStatus !== "AwaitingVote") throw new TaskError(`claim #${claimId}: the DVM has voted already (${umaCase.dvmStatus})`);
    const oracle = IOptimisticOracleV3__factory.connect(umaCase.optimisticOracle, parapet.signer);
    const finder = IUmaFinder__factory.connect(await oracle.finder(), parapet.signer);
    const dvm = IUmaMockOracle__factory.connect(await finder.getImplementationAddress(encodeBytes32String("Oracle")), parapet.signer);
    const request = [await oracle.defaultIdentifier(), umaCase.escalatedAt, await oracle.stampAssertion(umaCase.assertionId)] as const;
    try {
      await dvm.pushPrice.staticCall(...request, 0n);
    } catch {
      throw new TaskError("this chain's DVM is UMA's token-holder vote, not a local mock: vote through UMA (vote.uma.xyz)");
    }
    await parapet.act(`vote on claim #${claimId}`, async () => ({
      receipt: (await (await dvm.pushPrice(...request, args.uphold ? TRUE : 0n)).wait())!,
    }));
    keyValues([
      ["claim", `#${claimId}, UMA assertion ${umaCase.assertionId}`],
      ["DVM vote", args.uphold ? "the claim is valid (upheld)" : "the claim is not valid (rejected)"],
      ["next", `claim:push --claim ${claimId}, then claim:settle --claim ${claimId}`],
    ]);
    return { claimId, upheld: args.uphold };
  }),
);
