/**
 * Parapet's command-line tasks, registered in `hardhat.config.ts`. Each finds the protocol through
 * `deployments/<chainId>.json` (or `--deployment <file>`), signs with the network's first account (or `--from <index>`),
 * takes amounts in human units (or raw units with `--raw`), checks its input, balances and allowances before sending
 * anything, and reports a revert as the decoded custom error.
 *
 * This module only declares the tasks: the actions are imported lazily, so loading the config stays cheap and works
 * before the contracts are built.
 */
import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

const FROM = {
  name: "from",
  description: "Index of the signing account among the network's accounts",
  type: ArgumentType.INT,
  defaultValue: 0,
} as const;
export const DEPLOYMENT = {
  name: "deployment",
  description: "Deployment file (default: deployments/<chainId>.json)",
  type: ArgumentType.STRING_WITHOUT_DEFAULT,
  defaultValue: undefined,
} as const;
const RAW = { name: "raw", description: "Read and print amounts in raw token units" } as const;
const APPROVE = { name: "approve", description: "Approve the token allowance the action needs, if short" } as const;

const text = <NameT extends string>(name: NameT, description: string) =>
  ({ name, description, type: ArgumentType.STRING_WITHOUT_DEFAULT, defaultValue: undefined }) as const;
const vaultOption = (description = "Vault name (conservative, highYield) or address") => text("vault", description);
const productOption = (description = "Product id or name (e.g. 2 or swappeak-dex)") => text("product", description);
const amountOption = (description: string) => text("amount", description);

export const parapetTasks = [
  // ---------------------------------------------------------------------------------------------- underwriters
  task("vault:deposit", "Deposit the vault's asset and receive shares")
    .addOption(vaultOption())
    .addOption(amountOption("Assets to deposit"))
    .addFlag(APPROVE)
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./vault-deposit.js"))
    .build(),
  task("vault:request-redeem", "Request redemption of vault shares (redeemable after the cooldown)")
    .addOption(vaultOption())
    .addOption(text("shares", "Shares to request"))
    .addFlag({ name: "all", description: "Request every share held" })
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./vault-request-redeem.js"))
    .build(),
  task("vault:redeem", "Redeem a ripe redemption request (all that may leave now, or --shares)")
    .addOption(vaultOption())
    .addOption(text("shares", "Shares to redeem (default: all that may leave now)"))
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./vault-redeem.js"))
    .build(),
  task("vault:status", "Share price, NAV, APY estimate, utilization per product, and an account's position")
    .addOption(vaultOption("Vault name or address (default: every vault)"))
    .addOption(text("account", "Account whose position to show (default: the signer)"))
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./vault-status.js"))
    .build(),
  task("vault:process-queue", "Keeper: pay the vault's queued outflows in order, as far as its circuit breaker allows")
    .addOption(vaultOption())
    .addOption({ name: "entries", description: "Queue entries to look at, at most", type: ArgumentType.INT, defaultValue: 32 })
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./vault-process-queue.js"))
    .build(),

  task("vault:cancel-request", "Cancel your redemption request: the escrowed shares return to you")
    .addOption(vaultOption())
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./vault-cancel-request.js"))
    .build(),
  task("vault:withdraw-parked", "Send your claim payouts the token refused (parked in the vault) to another address")
    .addOption(vaultOption())
    .addOption(text("to", "Address to send the parked payout to"))
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./vault-withdraw-parked.js"))
    .build(),

  // ---------------------------------------------------------------------------------------------- buyers
  task("cover:quote", "Quote cover on a product, from one vault or every backing vault")
    .addOption(productOption())
    .addOption(vaultOption("Vault name or address (default: every vault backing the product)"))
    .addOption(amountOption("Cover amount"))
    .addOption(text("days", "Cover period in days"))
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./cover-quote.js"))
    .build(),
  task("cover:buy", "Buy cover from a vault, or split across the backing vaults; the NFTs go to --receiver")
    .addOption(productOption())
    .addOption(vaultOption("Vault name or address (default: the cheapest split across the backing vaults)"))
    .addOption(amountOption("Cover amount"))
    .addOption(text("days", "Cover period in days"))
    .addOption({ name: "slippageBps", description: "Price rise tolerated between quote and purchase, in bps", defaultValue: "50" })
    .addOption(text("receiver", "Address receiving the policy NFT (default: the signer)"))
    .addFlag(APPROVE)
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./cover-buy.js"))
    .build(),
  task("cover:list", "List the policies an account holds")
    .addOption(text("owner", "Policy holder (default: the signer)"))
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./cover-list.js"))
    .build(),

  // ---------------------------------------------------------------------------------------------- claimants
  task("claim:file", "File a claim on a policy you hold, posting the bond")
    .addOption(text("policy", "Policy id"))
    .addOption(amountOption("Amount claimed"))
    .addOption(text("incidentTime", "When the incident happened: unix seconds, ISO date, now, or a time ago like now-2h or 3d-ago"))
    .addOption(text("evidence", "Evidence URI (e.g. ipfs://…)"))
    .addFlag(APPROVE)
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./claim-file.js"))
    .build(),
  task("claim:status", "Show a claim and what comes next (every claim without --claim)")
    .addOption(text("claim", "Claim id (default: list the claims)"))
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./claim-status.js"))
    .build(),

  // ---------------------------------------------------------------------------------------------- keepers
  task("claim:dispute", "Dispute a pending claim before its liveness ends, posting an equal bond")
    .addOption(text("claim", "Claim id"))
    .addFlag(APPROVE)
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./claim-dispute.js"))
    .build(),
  task("claim:push", "Push a claim disputed before UMA's DVM to the adjudicator once the vote is in")
    .addOption(text("claim", "Claim id"))
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./claim-push.js"))
    .build(),
  task("uma:vote", "Local chains: vote as UMA's DVM (its MockOracleAncillary) on a claim disputed before it")
    .addOption(text("claim", "Claim id"))
    .addFlag({ name: "uphold", description: "The claim is valid" })
    .addFlag({ name: "reject", description: "The claim is not valid" })
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./uma-vote.js"))
    .build(),
  task("claim:settle", "Settle a claim after its liveness, or per its ruling")
    .addOption(text("claim", "Claim id"))
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./claim-settle.js"))
    .build(),
  task("incident:report", "Report an incident on a discretionary product, posting the incident bond")
    .addOption(productOption())
    .addOption(text("incidentTime", "When the incident happened: unix seconds, ISO date, now, or a time ago like now-2h or 3d-ago"))
    .addOption(text("payoutPct", "Share of each eligible policy's remaining cover to pay, in percent (0-100]"))
    .addOption(text("evidence", "Evidence URI (e.g. ipfs://…)"))
    .addFlag(APPROVE)
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./incident-report.js"))
    .build(),
  task("incident:dispute", "Dispute a reported incident before its liveness ends, posting an equal bond")
    .addOption(text("incident", "Incident id"))
    .addFlag(APPROVE)
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./incident-dispute.js"))
    .build(),
  task("incident:settle", "Settle an incident report after its liveness, or per its ruling")
    .addOption(text("incident", "Incident id"))
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./incident-settle.js"))
    .build(),
  task("incident:payout", "Pay an eligible policy its share of a confirmed incident (to the policy's holder)")
    .addOption(text("incident", "Incident id"))
    .addOption(text("policy", "Policy id"))
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./incident-payout.js"))
    .build(),
  task("incident:top-up", "After the claim window: pay a policy an incident paid short its share of the leftovers")
    .addOption(text("incident", "Incident id"))
    .addOption(text("policy", "Policy id"))
    .addFlag(RAW)
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./incident-top-up.js"))
    .build(),
  task("committee:vote", "Committee member: vote on a disputed claim or incident")
    .addOption(text("case", "Committee case id"))
    .addFlag({ name: "approve", description: "Vote to approve the claim or incident" })
    .addFlag({ name: "reject", description: "Vote to reject it" })
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./committee-vote.js"))
    .build(),
  task("committee:resolve", "Deliver the committee's ruling on a case whose quorum is reached")
    .addOption(text("case", "Committee case id"))
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./committee-resolve.js"))
    .build(),
  task("trigger:check", "Check the parametric triggers' feeds; --fire fires those that can")
    .addOption(productOption("Only this product's trigger (default: every trigger)"))
    .addFlag({ name: "fire", description: "Fire every trigger whose reading allows it" })
    .addOption(FROM)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./trigger-check.js"))
    .build(),

  // ---------------------------------------------------------------------------------------------- dApp developers
  task("chain", "Start a local JSON-RPC node with Parapet deployed and seeded; writes deployments/31337.json")
    .addOption({ name: "port", description: "Port to listen on", type: ArgumentType.INT, defaultValue: 8545 })
    .addOption({ name: "hostname", description: "Interface to listen on", defaultValue: "127.0.0.1" })
    .addOption({
      name: "out",
      description: "Where to write the deployment file (default: deployments/<chainId>.json)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addFlag({ name: "logging", description: "Log every JSON-RPC request, like `hardhat node`" })
    .addFlag({ name: "empty", description: "Start with empty vaults (no seed deposits)" })
    .setAction(() => import("../local-chain.js"))
    .build(),
  task("keeper", "Run the keeper: settle ripe claims and incidents, pay queues and incident payouts, fire triggers, watch covered protocols")
    .addOption(text("rpcUrl", "JSON-RPC URL of the node (default: the --network's URL, localhost if none)"))
    .addOption(DEPLOYMENT)
    .addOption({
      name: "signer",
      description: "Configuration variable holding the signer's private key: the environment, else the Hardhat keystore",
      defaultValue: "KEEPER_PRIVATE_KEY",
    })
    .addOption(text("keeperConfig", "Keeper config file (JSON: monitors, actions, intervals; see keeper/keeper.config.example.json)"))
    .addOption(text("db", "SQLite database of the keeper's state (default: keeper-data/<chainId>.sqlite)"))
    .addOption(text("metricsPort", "Port of /metrics and /health (overrides the config; 0: any free port)"))
    .addOption({ name: "logLevel", description: "debug, info, warn or error", defaultValue: "info" })
    .setAction(() => import("./keeper.js"))
    .build(),
];
